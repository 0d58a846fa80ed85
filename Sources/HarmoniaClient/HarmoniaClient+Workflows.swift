import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import NIOHTTP1

extension HarmoniaClient {
    /// `POST /workflows`: validates and stores a definition; returns it with its `id`.
    ///
    /// The definition is a JSON object in any dialect the server accepts (tasks as an
    /// object or an array, snake_case or camelCase keys).
    public func createWorkflow(_ definition: JSONValue) async throws -> WorkflowView {
        try await send(WorkflowView.self, .POST, Self.apiPath("workflows"), body: definition)
    }

    /// `POST /workflows` with the definition as JSON bytes (for example a file's contents).
    public func createWorkflow(_ definition: Data) async throws -> WorkflowView {
        try await createWorkflow(Self.parseDefinition(definition))
    }

    /// `GET /workflows/{id}`: the newest version of the workflow.
    public func getWorkflow(id: String) async throws -> WorkflowView {
        try await send(WorkflowView.self, .GET, Self.apiPath("workflows", id))
    }

    /// `GET /workflows`: live workflows, newest first, optionally filtered by name.
    public func listWorkflows(name: String? = nil, limit: Int? = nil, offset: Int? = nil) async throws -> WorkflowList {
        try await send(
            WorkflowList.self, .GET, Self.apiPath("workflows"),
            query: [("name", name), ("limit", limit.map(String.init)), ("offset", offset.map(String.init))])
    }

    /// `PUT /workflows/{id}`: stores a new version; running executions keep theirs.
    public func updateWorkflow(id: String, _ definition: JSONValue) async throws -> WorkflowView {
        try await send(WorkflowView.self, .PUT, Self.apiPath("workflows", id), body: definition)
    }

    /// `DELETE /workflows/{id}`: hides the workflow; executions keep their definitions.
    @discardableResult
    public func deleteWorkflow(id: String) async throws -> WorkflowDeleted {
        try await send(WorkflowDeleted.self, .DELETE, Self.apiPath("workflows", id))
    }

    static func parseDefinition(_ data: Data) throws -> JSONValue {
        do {
            return try JSONValue.parse(Array(data))
        } catch {
            throw HarmoniaClientError(
                code: HarmoniaClientError.Code.invalidArgument,
                detail: "the workflow definition is not valid JSON: \(error)", status: 0)
        }
    }
}

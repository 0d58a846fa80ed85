import Foundation
import HarmoniaClient
import HarmoniaCore
import MCP
import NIOHTTP1

/// MCP resources: workflows and executions by URI, so an agent can read a definition or
/// an execution's state without a tool call.
///
/// `harmonia://workflows/{workflow_id}` is a workflow's newest version,
/// `harmonia://executions/{execution_id}` an execution with its tasks (what
/// GetWorkflowExecutionStatus answers), `harmonia://executions/{execution_id}/events` its
/// event log. Each is the REST API's `data` as `application/json` text.
enum ResourceCatalog {
    static let scheme = "harmonia://"
    static let listed = 50

    static let templates: [Resource.Template] = [
        Resource.Template(uriTemplate: "harmonia://workflows/{workflow_id}", name: "workflow",
                          description: "a workflow definition's newest version", mimeType: "application/json"),
        Resource.Template(uriTemplate: "harmonia://executions/{execution_id}", name: "execution",
                          description: "an execution with every task's state and output", mimeType: "application/json"),
        Resource.Template(uriTemplate: "harmonia://executions/{execution_id}/events", name: "execution-events",
                          description: "an execution's event log (the first 1000 events)", mimeType: "application/json"),
    ]

    /// The newest workflows and executions (50 of each).
    static func list(client: HarmoniaClient) async throws -> [Resource] {
        let workflows = try await client.send(.GET, "/api/v1/workflows", query: [("limit", "\(listed)")])
        let executions = try await client.send(.GET, "/api/v1/executions", query: [("limit", "\(listed)")])
        let workflowResources = (workflows["workflows"]?.arrayValue ?? []).compactMap { workflow -> Resource? in
            guard let id = workflow["id"]?.stringValue else { return nil }
            let name = workflow["name"]?.stringValue ?? id
            return Resource(name: "workflow \(name)", uri: "\(scheme)workflows/\(id)",
                            description: "version \(workflow["version"]?.intValue ?? 0)", mimeType: "application/json")
        }
        let executionResources = (executions["executions"]?.arrayValue ?? []).compactMap { execution -> Resource? in
            guard let id = execution["id"]?.stringValue else { return nil }
            let workflow = execution["workflow_name"]?.stringValue ?? ""
            let status = execution["status"]?.stringValue ?? ""
            return Resource(name: "execution \(id)", uri: "\(scheme)executions/\(id)",
                            description: "\(workflow): \(status)", mimeType: "application/json")
        }
        return workflowResources + executionResources
    }

    /// Reads one resource. An unknown URI or object is a JSON-RPC error (resources have no
    /// error results): -32002 "resource not found" with the server's code and detail.
    static func read(_ uri: String, client: HarmoniaClient) async throws -> ReadResource.Result {
        guard uri.hasPrefix(scheme) else {
            throw MCPError.invalidParams("uri must start with \(scheme), got '\(uri)'")
        }
        let parts = uri.dropFirst(scheme.count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let path: String
        switch (parts.first, parts.count) {
        case ("workflows", 2) where !parts[1].isEmpty:
            path = "/api/v1/workflows/\(ToolCatalog.segment(decoded(parts[1])))"
        case ("executions", 2) where !parts[1].isEmpty:
            path = "/api/v1/executions/\(ToolCatalog.segment(decoded(parts[1])))"
        case ("executions", 3) where !parts[1].isEmpty && parts[2] == "events":
            path = "/api/v1/executions/\(ToolCatalog.segment(decoded(parts[1])))/events"
        default:
            throw MCPError.serverError(
                code: -32002, message: "not_found: no resource \(uri) (use harmonia://workflows/{id} or harmonia://executions/{id}[/events])")
        }
        do {
            let data = try await client.send(.GET, path)
            return ReadResource.Result(contents: [.text(data.jsonString(), uri: uri, mimeType: "application/json")])
        } catch let error as HarmoniaClientError where error.status == 404 {
            throw MCPError.serverError(code: -32002, message: "\(error.code): \(error.detail)")
        } catch let error as HarmoniaClientError {
            throw MCPError.serverError(code: -32603, message: "\(error.code): \(error.detail)")
        }
    }

    private static func decoded(_ text: String) -> String {
        text.removingPercentEncoding ?? text
    }
}

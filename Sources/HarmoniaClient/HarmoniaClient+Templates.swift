import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import NIOHTTP1

extension HarmoniaClient {
    /// `POST /templates`: stores a template and returns it with its `id` (version 1).
    ///
    /// The body is a template object in any form the server reads: `name`, `description`,
    /// `definition` (or `workflow_definition_id`), `parameters` keyed by name, `tags`.
    /// A definition using an undeclared `${params.NAME}` is refused (`undeclared_parameter`).
    public func createTemplate(_ template: JSONValue) async throws -> TemplateView {
        try await send(TemplateView.self, .POST, Self.apiPath("templates"), body: template)
    }

    /// `POST /templates` from an inline definition holding `${params.NAME}` placeholders.
    public func createTemplate(
        name: String, definition: JSONValue, parameters: [String: TemplateParameter] = [:], description: String? = nil,
        tags: [String] = [], metadata: [String: JSONValue] = [:]
    ) async throws -> TemplateView {
        var body: [String: JSONValue] = [
            "name": .string(name), "definition": definition, "parameters": try Self.wire(parameters),
            "tags": .array(tags.map(JSONValue.string)), "metadata": .object(metadata),
        ]
        if let description { body["description"] = .string(description) }
        return try await createTemplate(.object(body))
    }

    /// `POST /templates` copying the definition of a saved workflow (its newest version, or
    /// `workflowVersion`). The template's name defaults to the workflow's.
    public func createTemplate(
        fromWorkflowID workflowID: String, workflowVersion: Int? = nil, name: String? = nil,
        parameters: [String: TemplateParameter] = [:], tags: [String] = []
    ) async throws -> TemplateView {
        var body: [String: JSONValue] = [
            "workflow_definition_id": .string(workflowID), "parameters": try Self.wire(parameters),
            "tags": .array(tags.map(JSONValue.string)),
        ]
        if let workflowVersion { body["workflow_definition_version"] = .integer(workflowVersion) }
        if let name { body["name"] = .string(name) }
        return try await createTemplate(.object(body))
    }

    /// `GET /templates`: newest versions of live templates, most recently updated first,
    /// optionally only those tagged `tag` or named exactly `name`.
    public func listTemplates(
        tag: String? = nil, name: String? = nil, limit: Int? = nil, offset: Int? = nil
    ) async throws -> TemplateList {
        try await send(
            TemplateList.self, .GET, Self.apiPath("templates"),
            query: [("tag", tag), ("name", name), ("limit", limit.map(String.init)), ("offset", offset.map(String.init))])
    }

    /// `GET /templates/{id}`: the newest version, or `version`.
    public func getTemplate(id: String, version: Int? = nil) async throws -> TemplateView {
        try await send(
            TemplateView.self, .GET, Self.apiPath("templates", id), query: [("version", version.map(String.init))])
    }

    /// `PUT /templates/{id}`: stores the next version. Fields `changes` leaves out keep their
    /// current values; workflows made from earlier versions are not touched.
    public func updateTemplate(id: String, _ changes: JSONValue) async throws -> TemplateView {
        try await send(TemplateView.self, .PUT, Self.apiPath("templates", id), body: changes)
    }

    /// `DELETE /templates/{id}`: hides the template; its instances stay.
    @discardableResult
    public func deleteTemplate(id: String) async throws -> TemplateDeleted {
        try await send(TemplateDeleted.self, .DELETE, Self.apiPath("templates", id))
    }

    /// `POST /templates/{id}/instantiate`: checks the values, substitutes them and stores
    /// the result as a new workflow; run it with `executeWorkflow(workflowID:)`.
    ///
    /// Bad values throw `HarmoniaClientError` with code `invalid_parameters` (HTTP 400) and
    /// one entry per problem in `problems`, each naming its parameter.
    public func instantiateTemplate(
        id: String, parameterValues: [String: JSONValue] = [:], name: String? = nil, templateVersion: Int? = nil
    ) async throws -> TemplateInstance {
        let request = InstantiateTemplateRequest(parameterValues: parameterValues, name: name, templateVersion: templateVersion)
        return try await send(
            TemplateInstance.self, .POST, Self.apiPath("templates", id, "instantiate"), body: try Self.wire(request))
    }

    /// `GET /templates/{id}/export`: the portable document (`harmonia_template` marker).
    public func exportTemplate(id: String, version: Int? = nil) async throws -> TemplateDocument {
        try await send(
            TemplateDocument.self, .GET, Self.apiPath("templates", id, "export"),
            query: [("version", version.map(String.init))])
    }

    /// `POST /templates/import`: a new template (new id, version 1) from an exported document.
    public func importTemplate(_ document: TemplateDocument) async throws -> TemplateView {
        try await importTemplate(try Self.wire(document))
    }

    /// `POST /templates/import` with the document as JSON (for example a file's contents).
    public func importTemplate(_ document: JSONValue) async throws -> TemplateView {
        try await send(TemplateView.self, .POST, Self.apiPath("templates", "import"), body: document)
    }

    /// A wire type as a JSON value, encoded the way the server encodes.
    static func wire(_ value: some Encodable) throws -> JSONValue {
        do {
            return try JSONValue.parse(Array(APICoding.makeEncoder().encode(value)))
        } catch {
            throw HarmoniaClientError(
                code: HarmoniaClientError.Code.invalidArgument, detail: "cannot encode the request: \(error)", status: 0)
        }
    }
}

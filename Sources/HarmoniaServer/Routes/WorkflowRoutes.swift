import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import Hummingbird
import Logging

/// `/workflows`: create, list, read, replace, delete, and execute workflow definitions.
struct WorkflowRoutes: Sendable {
    let dependencies: RouteDependencies
    let executions: ExecutionStarter

    func addRoutes(to group: RouterGroup<HarmoniaRequestContext>) {
        group.post("workflows", use: create)
        group.get("workflows", use: list)
        group.get("workflows/{id}", use: read)
        group.put("workflows/{id}", use: replace)
        group.delete("workflows/{id}", use: delete)
        group.post("workflows/{id}/execute", use: execute)
    }

    @Sendable func create(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let value = try await definitionBody(request)
        let definition = try DefinitionValidator.validate(DefinitionParser.decode(value))
        let warnings = try dependencies.componentCheck.check(definition)
        try await dependencies.store.saveWorkflow(definition)
        context.logger.info("workflow created", metadata: ["workflow_id": "\(definition.id)", "name": "\(definition.name)"])
        return success(
            warnings.isEmpty ? "workflow created" : "workflow created with \(warnings.count) warning(s)",
            WorkflowView(definition, warnings: warnings), status: .created)
    }

    @Sendable func list(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let page = try request.page()
        let workflows = try await dependencies.store.listWorkflows(
            name: request.query("name"), limit: page.limit, offset: page.offset)
        return success(
            "\(workflows.count) workflow(s)",
            WorkflowList(workflows: workflows.map { WorkflowView($0) }, limit: page.limit, offset: page.offset))
    }

    @Sendable func read(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let definition = try await existing(context.requiredID())
        return success("workflow found", WorkflowView(definition))
    }

    /// Stores the body as the next version under the same id; executions already running
    /// keep the version they started with.
    @Sendable func replace(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let id = try context.requiredID()
        let current = try await existing(id)
        let value = try await definitionBody(request)
        var definition = try DefinitionParser.decode(value, id: id, version: current.version + 1)
        definition.createdAt = current.createdAt
        definition = try DefinitionValidator.validate(definition)
        let warnings = try dependencies.componentCheck.check(definition)
        try await dependencies.store.saveWorkflow(definition)
        context.logger.info("workflow replaced", metadata: ["workflow_id": "\(id)", "version": "\(definition.version)"])
        return success(
            "workflow updated to version \(definition.version)" + (warnings.isEmpty ? "" : " with \(warnings.count) warning(s)"),
            WorkflowView(definition, warnings: warnings))
    }

    @Sendable func delete(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let id = try context.requiredID()
        guard try await dependencies.store.deleteWorkflow(id: id) else {
            throw HarmoniaError(.notFound, "no workflow with id \(id)")
        }
        context.logger.info("workflow deleted", metadata: ["workflow_id": "\(id)"])
        return success("workflow deleted", WorkflowDeleted(workflowID: id))
    }

    /// Same as `POST /executions` with the workflow id taken from the path.
    @Sendable func execute(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let id = try context.requiredID()
        let body = try await request.jsonBody(maxBytes: dependencies.maxBodyBytes) ?? .emptyObject
        var start = try CreateExecutionRequest(json: body)
        start.workflowID = id
        return try await executions.start(start, headers: request.headers, logger: context.logger)
    }

    private func existing(_ id: String) async throws -> WorkflowDefinition {
        guard let definition = try await dependencies.store.workflow(id: id, version: nil) else {
            throw HarmoniaError(.notFound, "no workflow with id \(id)")
        }
        return definition
    }

    /// The body as JSON, or YAML when the Content-Type says so.
    private func definitionBody(_ request: Request) async throws -> JSONValue {
        let buffer = try await request.collectLimitedBody(maxBytes: dependencies.maxBodyBytes)
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        let format: DefinitionFormat
        if contentType.contains("yaml") {
            format = .yaml
        } else if contentType.contains("json") {
            format = .json
        } else {
            format = .auto
        }
        guard buffer.readableBytes > 0 else {
            throw HarmoniaError(.invalidRequest, "the request body is empty; send a workflow definition")
        }
        return try DefinitionParser.parse(
            buffer.readableBytesView, format: format, maxExpandedBytes: dependencies.maxBodyBytes)
    }
}

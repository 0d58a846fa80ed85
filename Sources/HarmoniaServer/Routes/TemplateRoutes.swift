import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import Hummingbird
import Logging

/// `/templates`: create, list, read, update (new version), delete, instantiate, import and
/// export workflow templates.
///
/// The routes only fetch and store; reading drafts, validating templates and instantiating
/// them is `HarmoniaCore`'s work, so the CLI and tests see exactly the same rules.
struct TemplateRoutes: Sendable {
    let dependencies: RouteDependencies

    func addRoutes(to group: RouterGroup<HarmoniaRequestContext>) {
        group.post("templates", use: create)
        group.get("templates", use: list)
        group.post("templates/import", use: importDocument)
        group.get("templates/{id}", use: read)
        group.put("templates/{id}", use: update)
        group.delete("templates/{id}", use: delete)
        group.post("templates/{id}/instantiate", use: instantiate)
        group.get("templates/{id}/export", use: export)
    }

    @Sendable func create(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let draft = try TemplateDraft.decode(try await body(request))
        let (definition, source) = try await resolveDefinition(draft, previous: nil)
        let template = WorkflowTemplate(draft: draft, definition: definition, source: source)
        try TemplateValidator.validate(template)
        try await dependencies.store.saveTemplate(template)
        context.logger.info("template created", metadata: ["template_id": "\(template.id)", "name": "\(template.name)"])
        return success("template created", TemplateView(template), status: .created)
    }

    @Sendable func list(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let page = try request.page()
        let templates = try await dependencies.store.listTemplates(
            tag: request.query("tag"), name: request.query("name"), limit: page.limit, offset: page.offset)
        return success(
            "\(templates.count) template(s)",
            TemplateList(templates: templates.map(TemplateView.init), limit: page.limit, offset: page.offset))
    }

    /// The newest version, or `?version=N`.
    @Sendable func read(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let template = try await existing(context.requiredID(), version: request.version())
        return success("template found", TemplateView(template))
    }

    /// Stores the next version. Fields the body leaves out keep their current values, so a
    /// client can retag a template or change one default without resending the definition.
    /// Workflows made from earlier versions are untouched: each is a workflow of its own.
    @Sendable func update(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let current = try await existing(context.requiredID(), version: nil)
        let draft = try TemplateDraft.decode(try await body(request))
        let (definition, source) = try await resolveDefinition(draft, previous: current)
        let template = WorkflowTemplate(draft: draft, definition: definition, source: source, previous: current)
        try TemplateValidator.validate(template)
        try await dependencies.store.saveTemplate(template)
        context.logger.info(
            "template updated", metadata: ["template_id": "\(template.id)", "version": "\(template.version)"])
        return success("template updated to version \(template.version)", TemplateView(template))
    }

    @Sendable func delete(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let id = try context.requiredID()
        guard try await dependencies.store.deleteTemplate(id: id) else {
            throw HarmoniaError(.notFound, "no template with id \(id)")
        }
        context.logger.info("template deleted", metadata: ["template_id": "\(id)"])
        return success("template deleted", TemplateDeleted(templateID: id))
    }

    /// Checks the values (400 `invalid_parameters` listing every problem), substitutes them
    /// and stores the result as a new workflow (201 with `workflow_id`).
    @Sendable func instantiate(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let id = try context.requiredID()
        let body = try await request.jsonBody(maxBytes: dependencies.maxBodyBytes) ?? .emptyObject
        let instantiation = try InstantiateTemplateRequest(json: body)
        let template = try await existing(id, version: instantiation.templateVersion)
        let workflow = try TemplateInstantiator.instantiate(
            template, values: instantiation.parameterValues, name: instantiation.name,
            maxBytes: dependencies.maxBodyBytes)
        let warnings = try dependencies.componentCheck.check(workflow)
        try await dependencies.store.saveWorkflow(workflow)
        context.logger.info(
            "template instantiated",
            metadata: ["template_id": "\(id)", "version": "\(template.version)", "workflow_id": "\(workflow.id)"])
        return success(
            "workflow \(workflow.id) created from template version \(template.version)",
            TemplateInstance(workflow: WorkflowView(workflow, warnings: warnings), templateID: template.id, templateVersion: template.version),
            status: .created)
    }

    /// The portable document (`harmonia_template` marker) of the newest version or `?version=N`.
    @Sendable func export(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let template = try await existing(context.requiredID(), version: request.version())
        return success("template exported", TemplateDocument(template))
    }

    /// Creates a new template (a new id, version 1) from an exported document. The export's
    /// whole response envelope is accepted too, so a saved `GET .../export` answer imports as is.
    @Sendable func importDocument(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        var document = try await body(request)
        if document[TemplateDocument.markerKey] == nil, let data = document["data"], data[TemplateDocument.markerKey] != nil {
            document = data
        }
        let draft = try TemplateDocument.draft(from: document)
        var template = WorkflowTemplate(draft: draft, definition: draft.definition ?? .emptyObject)
        if let origin = document["exported_from"], origin.objectValue != nil {
            template.metadata["imported_from"] = origin
        }
        try TemplateValidator.validate(template)
        try await dependencies.store.saveTemplate(template)
        context.logger.info("template imported", metadata: ["template_id": "\(template.id)", "name": "\(template.name)"])
        return success("template imported", TemplateView(template), status: .created)
    }

    /// A live template's newest version, or the given version of a live template.
    private func existing(_ id: String, version: Int?) async throws -> WorkflowTemplate {
        guard let newest = try await dependencies.store.template(id: id, version: nil) else {
            throw HarmoniaError(.notFound, "no template with id \(id)")
        }
        guard let version, version != newest.version else { return newest }
        guard let pinned = try await dependencies.store.template(id: id, version: version) else {
            throw HarmoniaError(.notFound, "template \(id) has no version \(version) (the newest is \(newest.version))")
        }
        return pinned
    }

    /// The definition a draft stands for: its own, a saved workflow's (with that workflow's
    /// id and version as the source), or on update the current one.
    private func resolveDefinition(
        _ draft: TemplateDraft, previous: WorkflowTemplate?
    ) async throws -> (JSONValue, (id: String, version: Int)?) {
        if let definition = draft.definition { return (definition, nil) }
        if let workflowID = draft.workflowDefinitionID {
            let version = draft.workflowDefinitionVersion
            guard let workflow = try await dependencies.store.workflow(id: workflowID, version: version) else {
                let suffix = version.map { " version \($0)" } ?? ""
                throw HarmoniaError(.notFound, "no workflow with id \(workflowID)\(suffix)", path: "workflow_definition_id")
            }
            return (try workflow.templateBody, (workflow.id, workflow.version))
        }
        if let previous { return (previous.definition, nil) }
        throw HarmoniaError(
            .invalidRequest, "a template needs a 'definition' or a 'workflow_definition_id'", path: "definition")
    }

    /// The body as JSON, or YAML when the Content-Type says so.
    private func body(_ request: Request) async throws -> JSONValue {
        let buffer = try await request.collectLimitedBody(maxBytes: dependencies.maxBodyBytes)
        guard buffer.readableBytes > 0 else {
            throw HarmoniaError(.invalidRequest, "the request body is empty; send a template")
        }
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        let format: DefinitionFormat = contentType.contains("yaml") ? .yaml : contentType.contains("json") ? .json : .auto
        return try DefinitionParser.parse(
            buffer.readableBytesView, format: format, maxExpandedBytes: dependencies.maxBodyBytes)
    }
}

extension Request {
    /// The optional `version` query parameter (a positive integer).
    fileprivate func version() throws -> Int? {
        guard query("version") != nil else { return nil }
        return try integerQuery("version", default: 1, range: 1...Int(Int32.max))
    }
}

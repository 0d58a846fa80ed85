import Foundation
import HarmoniaCore
import Testing

/// Templates: versions, tags, listing and soft deletion, mirroring workflows.
extension StoreConformanceSuite {
    /// A saved template reads back field for field (parameters, raw definition with its
    /// placeholders, tags, source), by latest and by explicit version; a version is written once.
    public func testTemplateSaveReadAndVersions() async throws {
        let store = try await freshStore()
        let v1 = Self.template(version: 1, tags: ["ops", "deploy"])
        try await store.saveTemplate(v1)
        #expect(try await store.template(id: "tpl-1", version: nil)?.normalized == v1.normalized)
        #expect(try await store.template(id: "tpl-1", version: 1)?.normalized == v1.normalized)
        #expect(try await store.template(id: "tpl-1", version: 2) == nil)
        #expect(try await store.template(id: "unknown", version: nil) == nil)

        var v2 = Self.template(version: 2, tags: ["ops"], updatedAt: Fixtures.at(5000))
        v2.parameters["extra"] = TemplateParameter(type: .array, defaultValue: ["a"], maxLength: 3)
        try await store.saveTemplate(v2)
        #expect(try await store.template(id: "tpl-1", version: nil)?.normalized == v2.normalized)
        #expect(try await store.template(id: "tpl-1", version: 1)?.normalized == v1.normalized, "old versions stay as they were")

        var duplicate = v2
        duplicate.description = "overwrite attempt"
        await expectError(.conflict) { try await store.saveTemplate(duplicate) }
        #expect(try await store.template(id: "tpl-1", version: 2)?.normalized == v2.normalized)
    }

    /// Listing shows newest versions of live templates, most recently updated first, filtered
    /// by a tag of the newest version or by exact name, in pages.
    public func testTemplateListTagsAndPaging() async throws {
        let store = try await freshStore()
        let a = Self.template(id: "tpl-a", name: "alpha", tags: ["ops", "eu"], updatedAt: Fixtures.at(1000))
        let b = Self.template(id: "tpl-b", name: "beta", tags: ["ops"], updatedAt: Fixtures.at(2000))
        let c = Self.template(id: "tpl-c", name: "alpha", tags: [], updatedAt: Fixtures.at(3000))
        for template in [a, b, c] { try await store.saveTemplate(template) }
        #expect(try await store.listTemplates(tag: nil, name: nil, limit: 10, offset: 0).normalized == [c, b, a].normalized)
        #expect(try await store.listTemplates(tag: nil, name: nil, limit: 2, offset: 1).normalized == [b, a].normalized)
        #expect(try await store.listTemplates(tag: nil, name: nil, limit: 0, offset: 0).isEmpty)
        #expect(try await store.listTemplates(tag: "ops", name: nil, limit: 10, offset: 0).map(\.id) == ["tpl-b", "tpl-a"])
        #expect(try await store.listTemplates(tag: "eu", name: nil, limit: 10, offset: 0).map(\.id) == ["tpl-a"])
        #expect(try await store.listTemplates(tag: "op", name: nil, limit: 10, offset: 0).isEmpty, "exact tags only")
        #expect(try await store.listTemplates(tag: nil, name: "alpha", limit: 10, offset: 0).map(\.id) == ["tpl-c", "tpl-a"])
        #expect(try await store.listTemplates(tag: "ops", name: "alpha", limit: 10, offset: 0).map(\.id) == ["tpl-a"])

        // A new version's tags replace the old ones; an older version never does.
        var a2 = a
        a2.version = 2
        a2.tags = ["us"]
        a2.updatedAt = Fixtures.at(4000)
        try await store.saveTemplate(a2)
        #expect(try await store.listTemplates(tag: "eu", name: nil, limit: 10, offset: 0).isEmpty)
        #expect(try await store.listTemplates(tag: "us", name: nil, limit: 10, offset: 0).map(\.id) == ["tpl-a"])
        #expect(try await store.listTemplates(tag: nil, name: nil, limit: 10, offset: 0).map(\.id) == ["tpl-a", "tpl-c", "tpl-b"])
    }

    /// Deletion hides a template from listing and latest reads; its versions stay readable by
    /// number (the workflows made from them name them). Saving a new version revives it.
    public func testTemplateDelete() async throws {
        let store = try await freshStore()
        let v1 = Self.template(tags: ["ops"])
        let other = Self.template(id: "tpl-2", name: "other", tags: ["ops"])
        try await store.saveTemplate(v1)
        try await store.saveTemplate(other)
        #expect(try await store.deleteTemplate(id: "tpl-1"))
        #expect(try await store.deleteTemplate(id: "tpl-1") == false, "already deleted")
        #expect(try await store.deleteTemplate(id: "unknown") == false)
        #expect(try await store.template(id: "tpl-1", version: nil) == nil)
        #expect(try await store.template(id: "tpl-1", version: 1)?.normalized == v1.normalized)
        #expect(try await store.listTemplates(tag: "ops", name: nil, limit: 10, offset: 0).map(\.id) == ["tpl-2"])

        var v2 = v1
        v2.version = 2
        try await store.saveTemplate(v2)
        #expect(try await store.template(id: "tpl-1", version: nil)?.version == 2)
    }

    /// A template with placeholders of every kind, as the API would store it.
    static func template(
        id: String = "tpl-1", name: String = "deploy", version: Int = 1, tags: [String] = [],
        updatedAt: Date = Fixtures.at(0)
    ) -> WorkflowTemplate {
        WorkflowTemplate(
            id: id, name: name, description: "deploys a service", version: version,
            definition: [
                "name": "deploy ${params.service}",
                "timeout": "${params.timeout}",
                "tasks": [
                    "build": ["component": "harmonia", "action": "echo", "input": ["message": "${params.service}:${input.tag}"]],
                    "ship": [
                        "component": "harmonia", "action": "echo", "depends_on": ["build"],
                        "input": ["message": "${tasks.build.output.result}", "regions": "${params.regions}"],
                    ],
                ],
            ],
            parameters: [
                "service": TemplateParameter(
                    type: .string, required: true, minLength: 1, maxLength: 40, pattern: "^[a-z-]+$", description: "the service"),
                "timeout": TemplateParameter(type: .integer, defaultValue: 300, minimum: 10, maximum: 3600),
                "regions": TemplateParameter(type: .array, defaultValue: ["eu"], allowedValues: [["eu"], ["us"], ["eu", "us"]]),
                "dry_run": TemplateParameter(type: .boolean, defaultValue: false),
            ],
            tags: tags, metadata: ["owner": "ops"], sourceWorkflowID: "wf-9", sourceWorkflowVersion: 2,
            createdAt: Fixtures.at(0), updatedAt: updatedAt)
    }
}

extension WorkflowTemplate: Normalizable {
    var normalized: WorkflowTemplate {
        var copy = self
        copy.createdAt = createdAt.normalized
        copy.updatedAt = updatedAt.normalized
        return copy
    }
}

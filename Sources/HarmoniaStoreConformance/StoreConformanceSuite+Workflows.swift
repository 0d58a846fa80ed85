import HarmoniaCore
import Testing

/// Workflow definitions: versions, listing and soft deletion.
extension StoreConformanceSuite {
    /// `migrate()` may run any number of times and keeps the data.
    public func testMigrateIsIdempotent() async throws {
        let store = try await freshStore()
        try await store.migrate()
        try await store.saveWorkflow(Fixtures.workflow())
        try await store.migrate()
        #expect(try await store.workflow(id: "wf-1", version: nil)?.normalized == Fixtures.workflow().normalized)
    }

    /// A saved workflow reads back field for field, by latest and by explicit version.
    public func testWorkflowSaveAndRead() async throws {
        let store = try await freshStore()
        let definition = Fixtures.workflow(taskIDs: ["fetch", "build", "publish"])
        try await store.saveWorkflow(definition)
        #expect(try await store.workflow(id: "wf-1", version: nil)?.normalized == definition.normalized)
        #expect(try await store.workflow(id: "wf-1", version: 1)?.normalized == definition.normalized)
        #expect(try await store.workflow(id: "wf-1", version: 2) == nil)
        #expect(try await store.workflow(id: "unknown", version: nil) == nil)
    }

    /// New versions become the latest; old ones stay readable; a version is written once.
    public func testWorkflowVersions() async throws {
        let store = try await freshStore()
        let v1 = Fixtures.workflow(version: 1)
        let v2 = Fixtures.workflow(name: "build-renamed", version: 2, taskIDs: ["x"], updatedAt: Fixtures.at(1000))
        try await store.saveWorkflow(v1)
        try await store.saveWorkflow(v2)
        #expect(try await store.workflow(id: "wf-1", version: nil)?.normalized == v2.normalized)
        #expect(try await store.workflow(id: "wf-1", version: 1)?.normalized == v1.normalized)
        #expect(try await store.workflow(id: "wf-1", version: 2)?.normalized == v2.normalized)

        var duplicate = v2
        duplicate.description = "overwrite attempt"
        await expectError(.conflict) { try await store.saveWorkflow(duplicate) }
        #expect(try await store.workflow(id: "wf-1", version: 2)?.normalized == v2.normalized)
        #expect(try await store.listWorkflows(name: nil, limit: 10, offset: 0).normalized == [v2.normalized])
    }

    /// Listing shows the latest version of live workflows, newest first, filtered by exact
    /// name, in pages.
    public func testWorkflowListFilterAndPaging() async throws {
        let store = try await freshStore()
        let names = ["alpha", "beta", "alpha", "gamma", "alphabet"]
        var saved: [WorkflowDefinition] = []
        for (index, name) in names.enumerated() {
            let definition = Fixtures.workflow(id: "wf-\(index)", name: name, updatedAt: Fixtures.at(index * 1000))
            try await store.saveWorkflow(definition)
            saved.append(definition)
        }
        // A second version of wf-0 makes it the most recently updated.
        let wf0v2 = Fixtures.workflow(id: "wf-0", name: "alpha", version: 2, updatedAt: Fixtures.at(10_000))
        try await store.saveWorkflow(wf0v2)
        let newestFirst = [wf0v2, saved[4], saved[3], saved[2], saved[1]].normalized

        #expect(try await store.listWorkflows(name: nil, limit: 100, offset: 0).normalized == newestFirst)
        #expect(try await store.listWorkflows(name: nil, limit: 2, offset: 0).normalized == Array(newestFirst[0..<2]))
        #expect(try await store.listWorkflows(name: nil, limit: 2, offset: 2).normalized == Array(newestFirst[2..<4]))
        #expect(try await store.listWorkflows(name: nil, limit: 2, offset: 4).normalized == Array(newestFirst[4...]))
        #expect(try await store.listWorkflows(name: nil, limit: 2, offset: 6).isEmpty)
        #expect(try await store.listWorkflows(name: nil, limit: 0, offset: 0).isEmpty)

        let alphas = try await store.listWorkflows(name: "alpha", limit: 100, offset: 0)
        #expect(alphas.normalized == [wf0v2, saved[2]].normalized, "exact name match, latest versions only")
        #expect(try await store.listWorkflows(name: "alp", limit: 100, offset: 0).isEmpty)
        #expect(try await store.listWorkflows(name: "ALPHA", limit: 100, offset: 0).isEmpty)
        #expect(try await store.listWorkflows(name: "alpha", limit: 1, offset: 1).normalized == [saved[2].normalized])
    }

    /// Deletion hides a workflow from listing and latest-version reads, but its versions stay
    /// readable by number for the executions that pinned them.
    public func testWorkflowDelete() async throws {
        let store = try await freshStore()
        let v1 = Fixtures.workflow(version: 1)
        let v2 = Fixtures.workflow(version: 2, updatedAt: Fixtures.at(5))
        let other = Fixtures.workflow(id: "wf-2", name: "other")
        try await store.saveWorkflow(v1)
        try await store.saveWorkflow(v2)
        try await store.saveWorkflow(other)

        #expect(try await store.deleteWorkflow(id: "wf-1"))
        #expect(try await store.deleteWorkflow(id: "wf-1") == false, "already deleted")
        #expect(try await store.deleteWorkflow(id: "unknown") == false)

        #expect(try await store.workflow(id: "wf-1", version: nil) == nil)
        #expect(try await store.workflow(id: "wf-1", version: 1)?.normalized == v1.normalized)
        #expect(try await store.workflow(id: "wf-1", version: 2)?.normalized == v2.normalized)
        #expect(try await store.listWorkflows(name: nil, limit: 10, offset: 0).normalized == [other.normalized])
        #expect(try await store.listWorkflows(name: "build", limit: 10, offset: 0).isEmpty)
        #expect(try await store.workflow(id: "wf-2", version: nil)?.normalized == other.normalized)
    }

    /// A read without a version follows every write, also when the same head was read just
    /// before (a store may cache heads, but never past a save or delete).
    public func testLatestVersionFollowsEveryWrite() async throws {
        let store = try await freshStore()
        let v1 = Fixtures.workflow(version: 1)
        let v2 = Fixtures.workflow(version: 2, taskIDs: ["second"], updatedAt: Fixtures.at(5))
        let v3 = Fixtures.workflow(version: 3, taskIDs: ["third"], updatedAt: Fixtures.at(9))
        try await store.saveWorkflow(v1)
        #expect(try await store.workflow(id: "wf-1", version: nil)?.version == 1)
        #expect(try await store.workflow(id: "wf-1", version: nil)?.version == 1)
        try await store.saveWorkflow(v2)
        #expect(try await store.workflow(id: "wf-1", version: nil)?.normalized == v2.normalized)
        #expect(try await store.deleteWorkflow(id: "wf-1"))
        #expect(try await store.workflow(id: "wf-1", version: nil) == nil)
        #expect(try await store.workflow(id: "wf-1", version: nil) == nil)
        // Saving a higher version revives it.
        try await store.saveWorkflow(v3)
        #expect(try await store.workflow(id: "wf-1", version: nil)?.normalized == v3.normalized)
        // A failed save (a version that exists) leaves the head where it was.
        await expectError(.conflict) { try await store.saveWorkflow(v2) }
        #expect(try await store.workflow(id: "wf-1", version: nil)?.version == 3)
    }
}

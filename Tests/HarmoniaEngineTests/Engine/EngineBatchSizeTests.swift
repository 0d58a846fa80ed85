import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaStorageSQLite
import HarmoniaTestSupport
import Synchronization
import Testing

/// `engine.max_batch_size` bounds the inputs applied in one group commit (it was documented
/// and read nowhere before the configuration keys were declared once).
@Suite(.timeLimit(.minutes(2)))
struct EngineBatchSizeTests {
    @Test func noCommitHoldsMoreInputsThanTheBatchSize() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harmonia-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = FaultInjectingStore(try SQLiteStore(path: directory.appendingPathComponent("harmonia.sqlite").path))
        try await store.migrate()
        let largest = Atomic<Int>(0)
        let commits = Atomic<Int>(0)
        // Never fails a commit: the rule only watches each batch go by.
        store.failCommits(times: 0) { changes in
            largest.max(changes.count, ordering: .relaxed)
            commits.add(1, ordering: .relaxed)
            return false
        }
        var configuration = EngineConfiguration()
        configuration.maxBatchSize = 2
        let engine = Engine(store: store, adapters: AdapterRegistry([BuiltinAdapter()]), configuration: configuration)
        let definition = try DefinitionValidator.validate(
            WorkflowDefinition(
                id: "batch", name: "batch",
                tasks: [TaskDefinition(id: "a", component: "harmonia", action: "noop")]))
        try await store.saveWorkflow(definition)
        try await engine.prepare()
        let loop = Task { try await engine.run() }
        defer { loop.cancel() }

        // 40 starts at once queue up together; each commit may take at most 2 of them.
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<40 {
                group.addTask { try await engine.startExecution(workflow: definition, input: .emptyObject).state.id }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(
            try await eventually("all 40 executions complete", timeout: .seconds(60)) {
                for id in ids where try await store.execution(id: id)?.record.status != .completed { return false }
                return true
            })
        #expect(largest.load(ordering: .relaxed) <= 2, "a commit held \(largest.load(ordering: .relaxed)) executions' changes")
        #expect(commits.load(ordering: .relaxed) >= 20)
    }
}

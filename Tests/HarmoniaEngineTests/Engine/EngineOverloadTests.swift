import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaStorageSQLite
import HarmoniaTestSupport
import Synchronization
import Testing

/// The engine's queue of requests is bounded: while a slow commit holds the loop, requests
/// past `maxQueuedRequests` are refused at once with `overloaded` (503 at the HTTP edge),
/// and every request that was accepted is still carried out.
@Suite("Engine overload", .timeLimit(.minutes(2)))
struct EngineOverloadTests {
    @Test("starts past the bound are refused with overloaded; every acknowledged start is stored and completes")
    func saturatedQueueRefusesAndLosesNothing() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harmonia-overload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = FaultInjectingStore(try SQLiteStore(path: directory.appendingPathComponent("harmonia.sqlite").path))
        try await store.migrate()
        let definition = try DefinitionValidator.validate(
            WorkflowDefinition(id: "one", name: "one", tasks: [TaskDefinition(id: "only", component: "harmonia", action: "noop")]))
        try await store.saveWorkflow(definition)
        var configuration = EngineConfiguration()
        configuration.maxQueuedRequests = 5
        let engine = Engine(store: store, adapters: AdapterRegistry([BuiltinAdapter()]), configuration: configuration)
        try await engine.prepare()
        let loop = Task { try await engine.run() }
        defer { loop.cancel() }

        // The first start's commit is held: the loop is stuck in it, as behind a slow fsync.
        store.holdNextCommit { _ in true }
        let first = Task { try await engine.startExecution(workflow: definition, input: .emptyObject).state.id }
        try #require(await eventually("the first start's commit is held") { store.isHoldingCommit })

        let refused = Refusals()
        let starts = (0..<20).map { _ in
            Task { () -> String? in
                do {
                    return try await engine.startExecution(workflow: definition, input: .emptyObject).state.id
                } catch let error as HarmoniaError where error.code == .overloaded {
                    refused.count.add(1, ordering: .relaxed)
                    return nil
                }
            }
        }
        try #require(await eventually("15 of 20 starts are refused at once") { refused.count.load(ordering: .relaxed) == 15 })
        store.releaseHeldCommit()

        var accepted = [try await first.value]
        for start in starts {
            if let id = try await start.value { accepted.append(id) }
        }
        #expect(accepted.count == 6, "the held start and the 5 that fit the queue")
        #expect(refused.count.load(ordering: .relaxed) == 15)
        for id in accepted {
            let done = try await eventually("acknowledged execution \(id) completes") {
                try await store.execution(id: id)?.record.status == .completed
            }
            #expect(done)
        }
        let stored = try await store.listExecutions(status: nil, workflowID: "one", limit: 100, offset: 0)
        #expect(Set(stored.map(\.id)) == Set(accepted), "exactly the acknowledged executions exist")
    }
}

/// Starts refused with `overloaded`, counted from the tasks that made them.
private final class Refusals: Sendable {
    let count = Atomic<Int>(0)
}

import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaStorageSQLite
import Testing

/// A failed group commit is retried change by change; a change that fails again is rolled
/// back in memory and its inputs are delivered again: the execution then continues as if
/// the failure never happened, and the stored log has no gap and no duplicate. Each test
/// fails a commit twice (the group commit and the retry of the change alone), through both
/// commit paths.
@Suite("Engine commit failures")
struct EngineCommitFailureTests {
    func makeStore(synchronous: Bool) throws -> (FaultInjectingStore, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harmonia-fault-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let base = try SQLiteStore(path: directory.appendingPathComponent("harmonia.sqlite").path)
        return (synchronous ? SynchronousFaultInjectingStore(base) : FaultInjectingStore(base), directory)
    }

    /// a → b → c passing data along, on `store`; returns the finished execution and its log.
    func runChain(on store: FaultInjectingStore, arm: (FaultInjectingStore) -> Void) async throws
        -> (ExecutionState, [ExecutionEvent])
    {
        try await store.migrate()
        let engine = Engine(store: store, adapters: AdapterRegistry([BuiltinAdapter()]))
        let definition = try DefinitionValidator.validate(
            WorkflowDefinition(
                id: "fault-chain", name: "fault-chain",
                tasks: [
                    TaskDefinition(id: "a", component: "harmonia", action: "transform", input: ["value": "A"]),
                    TaskDefinition(
                        id: "b", component: "harmonia", action: "transform", input: ["value": "${tasks.a.output.result}B"]),
                    TaskDefinition(
                        id: "c", component: "harmonia", action: "transform", input: ["value": "${tasks.b.output.result}C"]),
                ]))
        try await store.saveWorkflow(definition)
        try await engine.prepare()
        let loop = Task { try await engine.run() }
        defer { loop.cancel() }
        arm(store)
        let id = try await engine.startExecution(workflow: definition, input: .emptyObject).state.id
        let deadline = Date().addingTimeInterval(20)
        var state = try await store.execution(id: id)
        while Date() < deadline, state?.record.status.isTerminal != true {
            try await Task.sleep(for: .milliseconds(10))
            state = try await store.execution(id: id)
        }
        let finished = try #require(state)
        #expect(finished.record.status == .completed, "the execution did not complete after the injected failure")
        return (finished, try await store.events(executionID: id, afterSeq: 0, limit: 1000))
    }

    @Test("a commit failing once is absorbed by the retry of its change alone", arguments: [true, false])
    func singleFailureIsRetried(synchronous: Bool) async throws {
        let (store, directory) = try makeStore(synchronous: synchronous)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (state, events) = try await runChain(on: store) { store in
            store.failCommits(times: 1) { changes in changes.contains { $0.tasks.contains { $0.taskID == "a" } } }
        }
        #expect(store.injectedFailures == 1)
        #expect(state.tasks["c"]?.output == ["result": "ABC"])
        #expect(events.map(\.seq) == Array(1...Int64(events.count)))
    }

    @Test("a failed commit of a task's completion is rolled back and redone", arguments: [true, false])
    func failedCompletionIsRedone(synchronous: Bool) async throws {
        let (store, directory) = try makeStore(synchronous: synchronous)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (state, events) = try await runChain(on: store) { store in
            store.failCommits(times: 2) { changes in
                changes.contains { $0.tasks.contains { $0.taskID == "b" && $0.status == .completed } }
            }
        }
        #expect(store.injectedFailures == 2)
        #expect(state.tasks["c"]?.output == ["result": "ABC"])
        #expect(events.map(\.seq) == Array(1...Int64(events.count)), "the log has a gap or a duplicate")
        for id in ["a", "b", "c"] {
            #expect(events.filter { $0.type == .taskCompleted && $0.taskID == id }.count == 1, "task \(id) completed more than once")
            #expect(events.filter { $0.type == .taskStarted && $0.taskID == id }.count == 1, "task \(id) started more than once")
        }
        #expect(state.record.lastSeq == events.last?.seq)
    }

    @Test("a failed commit of a new execution fails its start and leaves the engine working", arguments: [true, false])
    func failedCreateFailsTheStartOnly(synchronous: Bool) async throws {
        let (store, directory) = try makeStore(synchronous: synchronous)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await store.migrate()
        let engine = Engine(store: store, adapters: AdapterRegistry([BuiltinAdapter()]))
        let definition = try DefinitionValidator.validate(
            WorkflowDefinition(id: "one", name: "one", tasks: [TaskDefinition(id: "a", component: "harmonia", action: "noop")]))
        try await store.saveWorkflow(definition)
        try await engine.prepare()
        let loop = Task { try await engine.run() }
        defer { loop.cancel() }
        store.failCommits(times: 2) { changes in changes.contains(where: \.isNew) }
        await #expect(throws: HarmoniaError.self) {
            _ = try await engine.startExecution(workflow: definition, input: .emptyObject)
        }
        let id = try await engine.startExecution(workflow: definition, input: .emptyObject).state.id
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, try await store.execution(id: id)?.record.status != .completed {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(try await store.execution(id: id)?.record.status == .completed)
        #expect(store.injectedFailures == 2)
        #expect(try await store.listExecutions(status: nil, workflowID: "one", limit: 10, offset: 0).count == 1)
    }
}

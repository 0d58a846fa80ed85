import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaStorageSQLite
import HarmoniaTestSupport
import Testing

/// Calls of side-effect-free adapters (the built-in component) start while their start is
/// being committed; every other call starts only once its start is durable. Both halves
/// are shown on the asynchronous commit path, where a commit can be held open.
@Suite("Engine early start")
struct EngineEarlyStartTests {
    func makeStore(synchronous: Bool = false) async throws -> (FaultInjectingStore, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harmonia-early-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let base = try SQLiteStore(path: directory.appendingPathComponent("harmonia.sqlite").path)
        let store = synchronous ? SynchronousFaultInjectingStore(base) : FaultInjectingStore(base)
        try await store.migrate()
        return (store, directory)
    }

    /// Runs `body` with an engine over `store` and `adapters` whose loop runs meanwhile.
    func withEngine<T: Sendable>(
        _ store: FaultInjectingStore, adapters: [any ComponentAdapter], _ body: (Engine) async throws -> T
    ) async throws -> T {
        let engine = Engine(store: store, adapters: AdapterRegistry([BuiltinAdapter()] + adapters))
        try await engine.prepare()
        let loop = Task { try await engine.run() }
        defer { loop.cancel() }
        return try await body(engine)
    }

    func waitForEnd(_ id: String, in store: FaultInjectingStore) async throws -> ExecutionState {
        try await eventually("execution \(id) finishes") {
            try await store.execution(id: id)?.record.status.isTerminal == true
        }
        return try #require(try await store.execution(id: id))
    }

    /// `a` (built-in noop) → `b` (`component`'s `step`).
    static func noopThen(component: String, id: String) throws -> WorkflowDefinition {
        try DefinitionValidator.validate(
            WorkflowDefinition(
                id: id, name: id,
                tasks: [
                    TaskDefinition(id: "a", component: "harmonia", action: "noop"),
                    TaskDefinition(id: "b", component: component, action: "step", dependsOn: ["a"]),
                ]))
    }

    /// A gap-free log in which `taskID` started before its result was recorded.
    static func expectStartBeforeResult(
        of taskID: String, in events: [ExecutionEvent], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(events.map(\.seq) == Array(1...Int64(events.count)), sourceLocation: sourceLocation)
        let started = events.firstIndex { $0.type == .taskStarted && $0.taskID == taskID }
        let completed = events.firstIndex { $0.type == .taskCompleted && $0.taskID == taskID }
        #expect(
            started != nil && completed != nil && started! < completed!, "\(taskID)'s result was recorded before its start",
            sourceLocation: sourceLocation)
    }

    static func starting(_ taskID: String) -> @Sendable ([ExecutionChange]) -> Bool {
        { changes in changes.contains { $0.tasks.contains { $0.taskID == taskID && $0.status == .running } } }
    }

    @Test("a side-effect-free call runs while the commit of its start is held")
    func sideEffectFreeCallStartsEarly() async throws {
        let (store, directory) = try await makeStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pure = CountingAdapter(component: "pure", isSideEffectFree: true)
        let definition = try Self.noopThen(component: "pure", id: "early")
        try await store.saveWorkflow(definition)
        store.holdNextCommit(when: Self.starting("b"))
        let (final, events) = try await withEngine(store, adapters: [pure]) { engine in
            let id = try await engine.startExecution(workflow: definition, input: .emptyObject).state.id
            try #require(await eventually("the commit of b's start is held") { store.isHoldingCommit })
            try #require(await eventually("b is called before its start is durable") { pure.calls(in: id) == ["b"] })
            let stored = try await store.execution(id: id)
            #expect(stored?.tasks["b"]?.status == .pending, "b's start was durable already; the hold did not hold it")
            store.releaseHeldCommit()
            let final = try await waitForEnd(id, in: store)
            return (final, try await store.events(executionID: id, afterSeq: 0, limit: 100))
        }
        #expect(final.record.status == .completed)
        #expect(final.tasks["b"]?.output == ["result": "b done"])
        Self.expectStartBeforeResult(of: "b", in: events)
    }

    @Test("a result known at once is recorded after its start, without a call")
    func immediateResultWaitsForItsStart() async throws {
        let (store, directory) = try await makeStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let instant = ImmediateAdapter()
        let definition = try Self.noopThen(component: "instant", id: "instant")
        try await store.saveWorkflow(definition)
        store.holdNextCommit(when: Self.starting("b"))
        let (final, events) = try await withEngine(store, adapters: [instant]) { engine in
            let id = try await engine.startExecution(workflow: definition, input: .emptyObject).state.id
            try #require(await eventually("the commit of b's start is held") { store.isHoldingCommit })
            // b's result is already waiting in the mailbox; the loop must not take it before
            // the start it belongs to is durable.
            let held = try await store.execution(id: id)
            #expect(held?.tasks["b"]?.status == .pending)
            store.releaseHeldCommit()
            let final = try await waitForEnd(id, in: store)
            return (final, try await store.events(executionID: id, afterSeq: 0, limit: 100))
        }
        #expect(final.record.status == .completed)
        #expect(final.tasks["b"]?.output == ["at": "once"])
        #expect(instant.invokeCalls == 0, "the engine started a call for a result it had at once")
        Self.expectStartBeforeResult(of: "b", in: events)
    }

    @Test("a call with outside effects starts only once its start is durable")
    func outsideCallWaitsForDurableStart() async throws {
        let (store, directory) = try await makeStore()
        defer { try? FileManager.default.removeItem(at: directory) }
        let witness = DurabilityWitness(store: store)
        let pure = CountingAdapter(component: "pure", isSideEffectFree: true)
        // b (outside effects) and p (side-effect free) start in the same commit, which is held
        // until p has run: had b been started early too, it would have run by then as well.
        let definition = try DefinitionValidator.validate(
            WorkflowDefinition(
                id: "witnessed", name: "witnessed",
                tasks: [
                    TaskDefinition(id: "a", component: "harmonia", action: "noop"),
                    TaskDefinition(id: "b", component: "witness", action: "observe", dependsOn: ["a"]),
                    TaskDefinition(id: "p", component: "pure", action: "step", dependsOn: ["a"]),
                    TaskDefinition(id: "c", component: "witness", action: "observe", dependsOn: ["b"]),
                ]))
        try await store.saveWorkflow(definition)
        store.holdNextCommit(when: Self.starting("b"))
        let final = try await withEngine(store, adapters: [witness, pure]) { engine in
            let id = try await engine.startExecution(workflow: definition, input: .emptyObject).state.id
            try #require(await eventually("the commit of b's start is held") { store.isHoldingCommit })
            try #require(await eventually("p, started in the same commit, runs") { pure.calls(in: id) == ["p"] })
            #expect(witness.observations.isEmpty, "b was called while its start was held")
            store.releaseHeldCommit()
            return try await waitForEnd(id, in: store)
        }
        #expect(final.record.status == .completed)
        #expect(witness.observations == ["b": true, "c": true], "a call found its own start not yet stored")
    }

    @Test("an early call whose start fails to commit is dropped, and the task runs once it is stored", arguments: [true, false])
    func earlyCallOfAFailedCommitIsDropped(synchronous: Bool) async throws {
        let (store, directory) = try await makeStore(synchronous: synchronous)
        defer { try? FileManager.default.removeItem(at: directory) }
        let definition = try DefinitionValidator.validate(
            WorkflowDefinition(
                id: "sleepy", name: "sleepy",
                tasks: [
                    TaskDefinition(id: "a", component: "harmonia", action: "noop"),
                    TaskDefinition(id: "s", component: "harmonia", action: "sleep", input: ["seconds": 0.05], dependsOn: ["a"]),
                    TaskDefinition(id: "t", component: "harmonia", action: "noop", dependsOn: ["s"]),
                ]))
        try await store.saveWorkflow(definition)
        // The group commit and the retry of the change alone both fail: the early sleep is
        // canceled, and its "canceled" outcome must not become the outcome of s.
        store.failCommits(times: 2, when: Self.starting("s"))
        let (final, events) = try await withEngine(store, adapters: []) { engine in
            let id = try await engine.startExecution(workflow: definition, input: .emptyObject).state.id
            let final = try await waitForEnd(id, in: store)
            return (final, try await store.events(executionID: id, afterSeq: 0, limit: 100))
        }
        #expect(store.injectedFailures == 2)
        #expect(final.record.status == .completed, "the canceled early call decided the task: \(final.tasks["s"]?.error?.message ?? "")")
        #expect(final.tasks["s"]?.output == ["slept": 0.05])
        #expect(events.filter { $0.type == .taskStarted && $0.taskID == "s" }.count == 1)
        #expect(events.filter { $0.type == .taskCompleted && $0.taskID == "s" }.count == 1)
        #expect(events.map(\.seq) == Array(1...Int64(events.count)))
    }

    @Test("a canceled early call that reports after its attempt was dispatched again does not decide it")
    func lateReportOfACanceledEarlyCallIsIgnored() async throws {
        let (store, directory) = try await makeStore(synchronous: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let late = LateReportingAdapter()
        let definition = try Self.noopThen(component: "late", id: "late")
        try await store.saveWorkflow(definition)
        // b's first start fails to commit (twice: group and alone): its early call 1 is
        // canceled but keeps running; after the redelivery b attempt 1 is dispatched again
        // as call 2. Call 1 then reports first, with a failure.
        //
        // An early call canceled before it began never reaches the adapter (the engine's
        // task group drops it), so the failing commit first waits, on the engine's thread,
        // until call 1 has really begun: then it is one that keeps running after its cancel.
        let starting = Self.starting("b")
        store.failCommits(times: 2) { changes in
            guard starting(changes) else { return false }
            let deadline = ContinuousClock.now + .seconds(30)
            while late.calls < 1, ContinuousClock.now < deadline { usleep(1_000) }
            return true
        }
        let final = try await withEngine(store, adapters: [late]) { engine in
            let id = try await engine.startExecution(workflow: definition, input: .emptyObject).state.id
            try #require(await eventually("b is called again after its start was stored") { late.calls == 2 })
            late.release(call: 1)
            try #require(await eventually("the canceled call 1 returns") { late.hasReturned(call: 1) })
            late.release(call: 2)
            return try await waitForEnd(id, in: store)
        }
        #expect(store.injectedFailures == 2)
        #expect(final.record.status == .completed, "the canceled call's late report decided b: \(final.tasks["b"]?.error?.message ?? "")")
        #expect(final.tasks["b"]?.output == ["call": 2])
    }
}

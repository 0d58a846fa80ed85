import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaStorageSQLite
import HarmoniaTestSupport
import Synchronization
import Testing

/// What the hardening issue found reaching the engine: outputs that grow without bound,
/// stored durations that overflowed a timer or a stored date (and so crashed or wedged
/// every restart), and a full disk at recovery that dropped the recovered executions.
@Suite(.timeLimit(.minutes(2)))
struct EngineHardeningTests {
    /// `t0` makes a 1 KiB string; each later task returns its predecessor's result twice,
    /// so the output doubles at every level (the 4.3 KB request that reached 3 GB of RSS).
    static func doublingChain(levels: Int) -> WorkflowDefinition {
        var tasks = [
            TaskDefinition(
                id: "t0", component: "harmonia", action: "transform",
                input: ["value": .string(String(repeating: "x", count: 1024))])
        ]
        for level in 1...levels {
            let previous = "${tasks.t\(level - 1).output.result}"
            tasks.append(
                TaskDefinition(
                    id: "t\(level)", component: "harmonia", action: "transform",
                    input: ["value": [.string(previous), .string(previous)]], dependsOn: ["t\(level - 1)"]))
        }
        return WorkflowDefinition(name: "doubling", tasks: tasks)
    }

    @Test func anOutputThatDoublesPastTheLimitFailsItsTaskWithOutputTooLarge() async throws {
        let h = try await EngineHarness(configuration: EngineConfiguration(maxTaskOutputBytes: 64 * 1024))
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(Self.doublingChain(levels: 21))
            let done = try await h.waitFor(try await h.start(wf))
            #expect(done.record.status == .failed)
            // 1 KiB doubled six times is 64 KiB plus the JSON around it: t6 is the first too big.
            #expect(done.tasks["t5"]?.status == .completed)
            #expect(done.tasks["t6"]?.status == .failed)
            #expect(done.tasks["t6"]?.error?.code == "output_too_large", "\(String(describing: done.tasks["t6"]?.error))")
            #expect(done.tasks["t6"]?.output == nil)
            #expect(done.tasks["t7"]?.status != .completed)
            expectWellFormedLog(try await h.events(done.id))
        }
    }

    @Test func anInputResolvedPastTheLimitFailsItsTaskWithInputTooLarge() async throws {
        let h = try await EngineHarness(
            configuration: EngineConfiguration(maxTaskInputBytes: 16 * 1024, maxTaskOutputBytes: 1 << 20))
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(Self.doublingChain(levels: 21))
            let done = try await h.waitFor(try await h.start(wf))
            #expect(done.record.status == .failed)
            let failed = done.tasks.values.filter { $0.status == .failed }
            #expect(failed.count == 1)
            #expect(failed.first?.error?.code == "input_too_large", "\(String(describing: failed.first?.error))")
        }
    }

    /// A definition stored without the create-time checks (an older version, a hand edit):
    /// every duration far past what a timer or a stored date can hold.
    static func poisoned(component: String) -> WorkflowDefinition {
        var task = TaskDefinition(
            id: "t1", component: component, action: "step",
            retryPolicy: RetryPolicy(maxRetries: 1, initialDelay: 1e21, maxDelay: 1e30))
        task.timeout = 1e21
        return WorkflowDefinition(
            id: "poisoned", name: "poisoned", tasks: [task, noop("after", after: ["t1"])], timeout: 1e21,
            checkpointInterval: 1e21)
    }

    @Test func storedDurationsBeyondTheLimitNeitherCrashNorWedgeARestart() async throws {
        let before = CountingAdapter()
        before.hold("t1")
        let first = try await EngineHarness(adapters: [BuiltinAdapter(), before])
        defer { first.cleanUp() }
        let id = try await first.run { h in
            // Saved as is, as an older version would have: the store does not validate.
            try await h.store.saveWorkflow(Self.poisoned(component: "counted"))
            let stored = try #require(try await h.store.workflow(id: "poisoned", version: nil))
            #expect(stored.checkpointInterval == 1e21)
            let id = try await h.start(stored)
            // Running with its timers armed (the 1e21 interval aborted the process here).
            try await h.waitFor(id) { $0.tasks["t1"]?.status == .running }
            return id
        }

        // Same data directory: recovery re-arms every timer, and the execution finishes.
        let after = CountingAdapter()
        let second = try await EngineHarness(directory: first.directory, adapters: [BuiltinAdapter(), after])
        try await second.run { h in
            #expect(h.engine.status.recoveredExecutions == 1)
            let done = try await h.waitFor(id)
            #expect(done.record.status == .completed)
            #expect(done.tasks["after"]?.status == .completed)
            expectWellFormedLog(try await h.events(id))
        }
    }

    @Test func recoveredExecutionsWhoseFirstCommitFailsAreRetriedUntilStored() async throws {
        let before = CountingAdapter()
        before.hold("t2")
        let first = try await EngineHarness(adapters: [BuiltinAdapter(), before])
        defer { first.cleanUp() }
        let ids = try await first.run { h in
            let wf = try await h.save(countedChain(3))
            var ids: [String] = []
            for _ in 0..<5 { ids.append(try await h.start(wf)) }
            for id in ids { try await h.waitFor(id) { $0.tasks["t2"]?.status == .running } }
            return ids
        }

        // Restart on a full disk: the recovery commit fails (grouped, then each change alone),
        // and so does the first retry of every execution; then space comes back.
        let base = try SQLiteStore(path: first.directory.appendingPathComponent("harmonia.sqlite").path)
        let store = SynchronousFaultInjectingStore(base)
        store.failCommits(times: 11) { _ in true }
        let after = CountingAdapter()
        let engine = Engine(store: store, adapters: AdapterRegistry([BuiltinAdapter(), after]))
        try await engine.prepare()
        #expect(engine.status.storageWritable == false)
        let loop = Task { try await engine.run() }
        defer { loop.cancel() }
        for id in ids {
            let deadline = ContinuousClock.now + .seconds(40)
            var state = try await base.execution(id: id)
            while ContinuousClock.now < deadline, state?.record.status != .completed {
                try await Task.sleep(for: .milliseconds(20))
                state = try await base.execution(id: id)
            }
            #expect(state?.record.status == .completed, "execution \(id) was left \(state?.record.status.rawValue ?? "missing")")
            #expect(after.calls(in: id) == ["t2", "t3"])
            expectWellFormedLog(try await base.events(executionID: id, afterSeq: 0, limit: 1000))
        }
        #expect(store.injectedFailures == 11)
        #expect(engine.status.storageWritable)
    }

    @Test func aCommitTheStoreRefusesIsStorageUnavailableAndReportedUntilAWriteSucceeds() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harmonia-full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = SynchronousFaultInjectingStore(
            try SQLiteStore(path: directory.appendingPathComponent("harmonia.sqlite").path))
        try await store.migrate()
        let engine = Engine(store: store, adapters: AdapterRegistry([BuiltinAdapter()]))
        let wf = try DefinitionValidator.validate(WorkflowDefinition(name: "one", tasks: [noop("a")]))
        try await store.saveWorkflow(wf)
        try await engine.prepare()
        let loop = Task { try await engine.run() }
        defer { loop.cancel() }

        store.failCommits(times: 2) { _ in true }
        let refused = await #expect(throws: HarmoniaError.self) {
            _ = try await engine.startExecution(workflow: wf, input: .emptyObject)
        }
        #expect(refused?.code == .storageUnavailable)
        #expect(refused?.message.contains("injected commit failure") == true)
        #expect(engine.status.storageWritable == false)

        let id = try await engine.startExecution(workflow: wf, input: .emptyObject).state.id
        #expect(engine.status.storageWritable)
        await eventually("the execution completes") {
            (try? await store.execution(id: id))?.record.status == .completed
        }
    }

    /// When only a refused start failed, nothing is retried: the probe (not a client's next
    /// write) brings `/ready` back once the store takes writes, and not while it refuses them.
    @Test func theStorageProbeReportsWritableAgainWithoutAnyOtherWrite() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harmonia-probe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = SynchronousFaultInjectingStore(
            try SQLiteStore(path: directory.appendingPathComponent("harmonia.sqlite").path))
        try await store.migrate()
        var configuration = EngineConfiguration()
        configuration.storageProbeInterval = 0.05
        let engine = Engine(store: store, adapters: AdapterRegistry([BuiltinAdapter()]), configuration: configuration)
        let wf = try DefinitionValidator.validate(WorkflowDefinition(name: "one", tasks: [noop("a")]))
        try await store.saveWorkflow(wf)
        try await engine.prepare()
        let loop = Task { try await engine.run() }
        defer { loop.cancel() }

        store.probesFail.store(true, ordering: .relaxed)
        store.failCommits(times: 2) { _ in true }
        await #expect(throws: HarmoniaError.self) {
            _ = try await engine.startExecution(workflow: wf, input: .emptyObject)
        }
        #expect(engine.status.storageWritable == false)
        await eventually("the probe tries (and fails) at least twice") { store.probeAttempts >= 2 }
        #expect(engine.status.storageWritable == false, "a failing probe must not report the store writable")

        let commits = engine.status.commits
        store.probesFail.store(false, ordering: .relaxed)
        await eventually("a successful probe reports the store writable") { engine.status.storageWritable }
        #expect(engine.status.commits == commits, "no execution change was written: the probe alone did it")
        let probes = store.probeAttempts
        let id = try await engine.startExecution(workflow: wf, input: .emptyObject).state.id
        await eventually("the execution completes") {
            (try? await store.execution(id: id))?.record.status == .completed
        }
        #expect(store.probeAttempts == probes, "no probe runs while writes succeed")
    }
}

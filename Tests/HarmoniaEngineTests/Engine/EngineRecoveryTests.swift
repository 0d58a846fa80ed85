import Foundation
import HarmoniaCore
import HarmoniaTestSupport
import HarmoniaEngine
import HarmoniaStorageSQLite
import ServiceLifecycle
import Testing
import Logging

/// Recovery in process: an engine stops without draining (as a crash would leave the
/// store), a new engine on the same file continues every execution.
@Suite(.timeLimit(.minutes(2)))
struct EngineRecoveryTests {
    @Test func executionsInterruptedMidRunCompleteAfterRestart() async throws {
        let before = CountingAdapter()
        before.hold("t2")
        let first = try await EngineHarness(adapters: [BuiltinAdapter(), before])
        defer { first.cleanUp() }
        let (wf, ids) = try await first.run { h in
            let wf = try await h.save(countedChain(4))
            var ids: [String] = []
            for _ in 0..<10 { ids.append(try await h.start(wf)) }
            for id in ids { try await h.waitFor(id) { $0.tasks["t2"]?.status == .running } }
            return (wf, ids)
        }
        // The loop stopped without draining (as a crash would): every execution is stored
        // with t2 in flight.
        let interrupted = try await first.store.unfinishedExecutions()
        #expect(interrupted.count == 10)

        let after = CountingAdapter()
        after.hold("t2")
        let second = try await EngineHarness(directory: first.directory, adapters: [BuiltinAdapter(), after])
        try await second.run { h in
            #expect(h.engine.status.recoveredExecutions == 10)
            // Readiness means the re-dispatched calls are under way, and the status says so.
            #expect(h.engine.status.inFlightTasks == 10)
            after.release("t2")
            for id in ids {
                let done = try await h.waitFor(id)
                #expect(done.record.status == .completed)
                #expect(done.tasks["t2"]?.attempt == 2)
                let events = try await h.events(id)
                expectWellFormedLog(events)
                for task in wf.tasks {
                    #expect(events.filter { $0.type == .taskCompleted && $0.taskID == task.id }.count == 1)
                }
                #expect(events.contains { $0.type == .taskStarted && $0.taskID == "t2" && $0.details["recovered"] == true })
                // Finished work is not repeated: only the interrupted task and what followed.
                #expect(after.calls(in: id) == ["t2", "t3", "t4"])
            }
        }
    }

    @Test func pausedExecutionStaysPausedAcrossRestart() async throws {
        let first = try await EngineHarness()
        defer { first.cleanUp() }
        let id = try await first.run { h in
            let wf = try await h.save(WorkflowDefinition(name: "two", tasks: [noop("a"), noop("b", after: ["a"])].map { $0 }))
            let long = try await h.save(WorkflowDefinition(name: "long", tasks: [TaskDefinition(id: "nap", component: "harmonia", action: "sleep", input: ["seconds": 30]), noop("after", after: ["nap"])]))
            _ = wf
            let id = try await h.start(long)
            try await h.waitFor(id) { $0.record.status == .running }
            try await h.engine.pause(executionID: id)
            return id
        }
        let second = try await EngineHarness(directory: first.directory)
        try await second.run { h in
            let state = try await h.store.execution(id: id)
            #expect(state?.record.status == .paused)
            // The in-flight sleep was dispatched again (attempt 2) even though paused.
            try await h.waitFor(id) { $0.tasks["nap"]?.attempt == 2 }
            try await h.engine.cancel(executionID: id)
        }
    }

    @Test func gracefulShutdownDrainsInFlightCalls() async throws {
        let counter = CountingAdapter()
        let h = try await EngineHarness(adapters: [BuiltinAdapter(), counter], configuration: EngineConfiguration(shutdownGracePeriod: 30))
        defer { h.cleanUp() }
        try await h.engine.prepare()
        let wf = try await h.save(countedChain(2))
        counter.hold("t1")
        let group = ServiceGroup(services: [h.engine], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let id = try await h.start(wf)
            try await h.waitFor(id) { $0.tasks["t1"]?.status == .running }
            await group.triggerGracefulShutdown()
            // Let the in-flight call finish only once the engine is draining.
            let deadline = Date().addingTimeInterval(20)
            while !h.engine.status.isDraining, Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
            #expect(h.engine.status.isDraining)
            counter.release("t1")
            try await tasks.waitForAll()
            let state = try await h.store.execution(id: id)
            // The in-flight call finished and was stored; its dependent was held back.
            #expect(state?.tasks["t1"]?.status == .completed)
            #expect(state?.tasks["t2"]?.status == .pending)
            #expect(state?.record.status == .running)
            #expect(counter.calls(in: id) == ["t1"])
        }
    }
}

/// Requests that reach a stopped engine are answered, not left waiting.
@Suite(.timeLimit(.minutes(1)))
struct EngineStoppedTests {
    @Test func requestsAfterTheLoopStoppedFailWithNotReady() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        let (wf, id) = try await h.run { h in
            let wf = try await h.save(WorkflowDefinition(name: "nap", tasks: [TaskDefinition(id: "nap", component: "harmonia", action: "sleep", input: ["seconds": 30])]))
            let id = try await h.start(wf)
            try await h.waitFor(id) { $0.tasks["nap"]?.status == .running }
            return (wf, id)
        }
        await #expect(throws: HarmoniaError(.notReady, "")) { try await h.engine.pause(executionID: id) }
        await #expect(throws: HarmoniaError(.notReady, "")) { try await h.engine.checkpoint(executionID: id) }
        await #expect(throws: HarmoniaError(.notReady, "")) { try await h.engine.startExecution(workflow: wf, input: [:]) }
    }
}

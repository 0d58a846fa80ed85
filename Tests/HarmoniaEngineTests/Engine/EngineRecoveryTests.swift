import Foundation
import HarmoniaCore
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
        let first = try await EngineHarness()
        defer { first.cleanUp() }
        let chain = (0..<4).map { i in
            TaskDefinition(id: "s\(i)", component: "harmonia", action: "sleep", input: ["seconds": 0.05], dependsOn: i == 0 ? [] : ["s\(i - 1)"])
        }
        let (wf, ids) = try await first.run { h in
            let wf = try await h.save(WorkflowDefinition(name: "chain", tasks: chain))
            var ids: [String] = []
            for _ in 0..<10 { ids.append(try await h.start(wf)) }
            for id in ids { try await h.waitFor(id) { $0.tasks["s0"]?.status == .running || $0.tasks["s0"]?.status == .completed } }
            return (wf, ids)
        }
        // The loop stopped without draining: some tasks are still `running` in the store.
        let interrupted = try await first.store.unfinishedExecutions()
        #expect(!interrupted.isEmpty)

        let second = try await EngineHarness(directory: first.directory)
        try await second.run { h in
            #expect(h.engine.status.recoveredExecutions == interrupted.count)
            for id in ids {
                let done = try await h.waitFor(id)
                #expect(done.record.status == .completed)
                let events = try await h.events(id)
                expectWellFormedLog(events)
                for task in wf.tasks {
                    #expect(events.filter { $0.type == .taskCompleted && $0.taskID == task.id }.count == 1)
                }
            }
            let redispatched = try await h.events(ids[0]).contains { $0.details["recovered"] == true }
            #expect(redispatched || interrupted.allSatisfy { $0.id != ids[0] })
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
        let h = try await EngineHarness(configuration: EngineConfiguration(shutdownGracePeriod: 10))
        defer { h.cleanUp() }
        try await h.engine.prepare()
        let wf = try await h.save(
            WorkflowDefinition(name: "nap", tasks: [TaskDefinition(id: "nap", component: "harmonia", action: "sleep", input: ["seconds": 0.2]), noop("next", after: ["nap"])]))
        let group = ServiceGroup(services: [h.engine], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let id = try await h.start(wf)
            try await h.waitFor(id) { $0.tasks["nap"]?.status == .running }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            let state = try await h.store.execution(id: id)
            // The in-flight sleep finished and was stored; its dependent was held back.
            #expect(state?.tasks["nap"]?.status == .completed)
            #expect(state?.tasks["next"]?.status == .pending)
            #expect(state?.record.status == .running)
        }
    }
}

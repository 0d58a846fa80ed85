import Foundation
import HarmoniaCore
import HarmoniaTestSupport
import HarmoniaEngine
import HarmoniaStorageSQLite
import Testing

/// The engine end to end on SQLite: data flow, failures, control, limits, batching.
@Suite(.timeLimit(.minutes(2)))
struct EngineExecutionTests {
    @Test func chainPassesOutputsAndLogsEveryStep() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(
                WorkflowDefinition(
                    name: "chain",
                    tasks: [
                        TaskDefinition(id: "a", component: "harmonia", action: "echo", input: ["message": "${input.name}"]),
                        TaskDefinition(id: "b", component: "harmonia", action: "echo", input: ["message": "Hello ${tasks.a.output.result}"], dependsOn: ["a"]),
                        TaskDefinition(id: "c", component: "harmonia", action: "transform", input: ["value": "${tasks.b.result}"], dependsOn: ["b"]),
                    ]))
            let id = try await h.start(wf, input: ["name": "World"])
            let done = try await h.waitFor(id)
            #expect(done.record.status == .completed)
            #expect(done.tasks["c"]?.output == ["result": "Hello World"])
            let events = try await h.events(id)
            expectWellFormedLog(events)
            #expect(events.filter { $0.type == .taskCompleted }.count == 3)
        }
    }

    @Test func createdExecutionIsDurableBeforeTheCallReturns() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(WorkflowDefinition(name: "one", tasks: [noop("a")]))
            let start = try await h.engine.startExecution(workflow: wf, input: [:])
            #expect(start.created)
            #expect(start.state.record.status == .pending)
            let stored = try await h.store.execution(id: start.state.id)
            #expect(stored != nil)
        }
    }

    @Test func idempotencyKeyReturnsTheSameExecution() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(WorkflowDefinition(name: "one", tasks: [noop("a")]))
            let first = try await h.engine.startExecution(workflow: wf, input: [:], idempotencyKey: "k-1")
            let second = try await h.engine.startExecution(workflow: wf, input: [:], idempotencyKey: "k-1")
            #expect(!second.created)
            #expect(second.state.id == first.state.id)
        }
    }

    /// On virtual time: each backoff passes only when the test moves the clock.
    @Test func alwaysFailingTaskRetriesThenFailsAndSkipsDependents() async throws {
        let clock = ManualEngineClock()
        let h = try await EngineHarness(clock: clock)
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(
                WorkflowDefinition(
                    name: "retry",
                    tasks: [
                        TaskDefinition(
                            id: "flaky", component: "harmonia", action: "fail", input: ["message": "nope"],
                            retryPolicy: RetryPolicy(maxRetries: 2, initialDelay: 0.02, maxDelay: 1, backoffMultiplier: 2, jitter: 0)),
                        noop("after", after: ["flaky"]),
                    ]))
            let id = try await h.start(wf)
            for delay in [0.02, 0.04] {
                try #require(await eventually("the retry after \(delay) s is armed") { clock.armed([delay]) })
                clock.advance(by: delay * 0.9)
                #expect(clock.pendingDelays.count == 1, "the retry fired before its backoff passed")
                clock.advance(by: delay * 0.1 + 0.001)
            }
            let done = try await h.waitFor(id)
            #expect(done.record.status == .failed)
            #expect(done.tasks["after"]?.status == .skipped)
            let events = try await h.events(id)
            let retries = events.filter { $0.type == .retryAttempted }
            #expect(retries.count == 2)
            #expect(retries.map { $0.details["delay"]?.doubleValue ?? 0 } == [0.02, 0.04])
            #expect(events.filter { $0.type == .taskFailed }.count == 1)
            #expect(events.last?.details["failed_tasks"] == ["flaky"])
            #expect(done.tasks["flaky"]?.attempt == 3)
            expectWellFormedLog(events)
        }
    }

    @Test func unknownComponentFailsWithComponentUnavailable() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(
                WorkflowDefinition(name: "seed", tasks: [TaskDefinition(id: "task1", component: "ergon", action: "execute_command", input: ["command": "echo hi"])]))
            let done = try await h.waitFor(try await h.start(wf))
            #expect(done.record.status == .failed)
            #expect(done.tasks["task1"]?.error?.code == "component_unavailable")
            #expect(done.tasks["task1"]?.error?.message.contains("ergon") == true)
        }
    }

    @Test func taskTimeoutCancelsTheCall() async throws {
        let clock = ManualEngineClock()
        let h = try await EngineHarness(clock: clock)
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(
                WorkflowDefinition(name: "slow", tasks: [TaskDefinition(id: "nap", component: "harmonia", action: "sleep", input: ["seconds": 30], timeout: 0.05)]))
            let id = try await h.start(wf)
            try #require(await eventually("the task timeout is armed") { clock.armed([0.05]) })
            clock.advance(by: 0.05)
            let done = try await h.waitFor(id)
            #expect(done.record.status == .failed)
            #expect(done.tasks["nap"]?.error?.code == "timeout")
            let events = try await h.events(done.id)
            #expect(events.contains { $0.type == .timeoutOccurred })
            // The engine publishes its status after the commit the store already shows: poll.
            let deadline = Date().addingTimeInterval(20)
            while h.engine.status.inFlightTasks != 0, Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
            #expect(h.engine.status.inFlightTasks == 0)
        }
    }

    @Test func workflowTimeoutFailsTheExecution() async throws {
        let clock = ManualEngineClock()
        let h = try await EngineHarness(clock: clock)
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(
                WorkflowDefinition(name: "slow", tasks: [TaskDefinition(id: "nap", component: "harmonia", action: "sleep", input: ["seconds": 30])], timeout: 0.05))
            let id = try await h.start(wf)
            try #require(await eventually("the workflow timeout is armed") { clock.armed([0.05]) })
            clock.advance(by: 0.05)
            let done = try await h.waitFor(id)
            #expect(done.record.status == .failed)
            #expect(done.record.error?.code == "workflow_timeout")
            #expect(done.tasks["nap"]?.status == .canceled)
        }
    }

    @Test func pauseResumeAndCancel() async throws {
        let counter = CountingAdapter()
        let h = try await EngineHarness(adapters: [BuiltinAdapter(), counter])
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(countedChain(2))
            counter.hold("t1")
            let id = try await h.start(wf)
            try await h.waitFor(id) { $0.tasks["t1"]?.status == .running }
            let paused = try await h.engine.pause(executionID: id)
            #expect(paused.record.status == .paused)
            await #expect(throws: HarmoniaError(.invalidState, "")) { try await h.engine.pause(executionID: id) }
            // t1 finishes while paused; t2 waits.
            counter.release("t1")
            let held = try await h.waitFor(id) { $0.tasks["t1"]?.status == .completed }
            #expect(held.tasks["t2"]?.status == .pending)
            #expect(held.record.status == .paused)
            try await h.engine.resume(executionID: id)
            let done = try await h.waitFor(id)
            #expect(done.record.status == .completed)
            #expect(counter.calls(in: id) == ["t1", "t2"])
            await #expect(throws: HarmoniaError(.invalidState, "")) { try await h.engine.cancel(executionID: id) }
            await #expect(throws: HarmoniaError(.notFound, "")) { try await h.engine.resume(executionID: "no-such-id") }

            let long = try await h.start(
                try await h.save(WorkflowDefinition(name: "long", tasks: [TaskDefinition(id: "nap", component: "harmonia", action: "sleep", input: ["seconds": 30])])))
            try await h.waitFor(long) { $0.tasks["nap"]?.status == .running }
            let canceled = try await h.engine.cancel(executionID: long)
            #expect(canceled.record.status == .canceled)
            #expect(canceled.tasks["nap"]?.status == .canceled)
            let events = try await h.events(long)
            expectWellFormedLog(events)
            #expect(events.last?.type == .workflowCanceled)
        }
    }

    @Test func resumeOfRunningExecutionIsInvalidState() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(WorkflowDefinition(name: "nap", tasks: [TaskDefinition(id: "nap", component: "harmonia", action: "sleep", input: ["seconds": 30])]))
            let id = try await h.start(wf)
            try await h.waitFor(id) { $0.record.status == .running }
            await #expect(throws: HarmoniaError(.invalidState, "")) { try await h.engine.resume(executionID: id) }
            try await h.engine.cancel(executionID: id)
        }
    }

    @Test func invalidInputIsRefusedBeforeAnythingIsStored() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(WorkflowDefinition(name: "one", tasks: [noop("a")]))
            await #expect(throws: HarmoniaError(.invalidInput, "")) { try await h.engine.startExecution(workflow: wf, input: [1, 2]) }
            #expect(try await h.store.listExecutions(status: nil, workflowID: nil, limit: 10, offset: 0).isEmpty)
        }
    }

    @Test func manyConcurrentExecutionsShareGroupCommits() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(WorkflowDefinition(name: "three", tasks: [noop("a"), noop("b", after: ["a"]), noop("c", after: ["b"])]))
            let ids = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<200 { group.addTask { try await h.start(wf) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for id in ids {
                let done = try await h.waitFor(id)
                #expect(done.record.status == .completed)
            }
            // 200 executions × (create+start, 3 completions) = 800 execution changes at least;
            // batching must have put several into one transaction.
            let status = h.engine.status
            #expect(status.committedInputs >= 800)
            #expect(status.commits < status.committedInputs)
        }
    }

    @Test func concurrencyLimitIsHonoured() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        try await h.run { h in
            let tasks = (0..<6).map { TaskDefinition(id: "t\($0)", component: "harmonia", action: "sleep", input: ["seconds": 0.02]) }
            let wf = try await h.save(WorkflowDefinition(name: "limited", tasks: tasks, maxConcurrency: 2))
            let id = try await h.start(wf)
            let done = try await h.waitFor(id)
            #expect(done.record.status == .completed)
            // Replay the log: never more than two tasks running at once.
            var running = 0
            var peak = 0
            for event in try await h.events(id) {
                if event.type == .taskStarted { running += 1 }
                if event.type == .taskCompleted { running -= 1 }
                peak = max(peak, running)
            }
            #expect(peak == 2)
        }
    }
}

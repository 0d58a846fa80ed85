import Foundation
import HarmoniaCore
import Testing

/// Conditions, pause/resume/cancel and recovery after a restart.
struct ExecutionMachineControlTests {
    @Test func falseConditionSkipsTaskAndDependents() {
        var h = SchedulerHarness(
            workflow([
                task("check", "transform", input: ["value": "no"]),
                task("deploy", after: ["check"], condition: "tasks.check.result == 'yes'"),
                task("notify", after: ["deploy"]),
                task("always", after: ["check"], condition: ["eq": ["${tasks.check.result}", "no"]]),
            ]))
        h.start()
        h.succeed("check", ["result": "no"])
        #expect(h.status("deploy") == .skipped)
        #expect(h.machine.state.tasks["deploy"]?.reason == "condition evaluated to false")
        #expect(h.status("notify") == .skipped)
        #expect(h.status("always") == .running)
        h.succeed("always")
        #expect(h.workflowStatus == .completed)
    }

    @Test func metadataConditionIsAccepted() {
        var t = task("a")
        t.metadata["condition"] = "input.enabled"
        var h = SchedulerHarness(workflow([t]), input: ["enabled": false])
        h.start()
        #expect(h.status("a") == .skipped)
        #expect(h.workflowStatus == .completed)
    }

    @Test func conditionThatCannotResolveFailsTheTask() {
        var h = SchedulerHarness(workflow([task("a", condition: "input.nothing > 3")]))
        h.start()
        #expect(h.status("a") == .failed)
        #expect(h.machine.state.tasks["a"]?.error?.code == "expression_error")
    }

    @Test func pauseHoldsNewDispatchesAndResumeContinues() {
        var h = SchedulerHarness(workflow([task("a"), task("b", after: ["a"])]))
        h.start()
        h.send(.pause)
        #expect(h.workflowStatus == .paused)
        h.succeed("a")
        #expect(h.status("a") == .completed)
        #expect(h.status("b") == .pending)
        #expect(h.dispatchedLast.isEmpty)
        h.send(.resume)
        #expect(h.dispatchedLast == ["b"])
        h.succeed("b")
        #expect(h.workflowStatus == .completed)
        #expect(h.events.map(\.type).contains(.workflowPaused))
        #expect(h.events.map(\.type).contains(.workflowResumed))
    }

    @Test func pausedExecutionCompletesWhenItsLastTaskFinishes() {
        var h = SchedulerHarness(workflow([task("a")]))
        h.start()
        h.send(.pause)
        h.succeed("a")
        #expect(h.workflowStatus == .completed)
    }

    @Test func retryDueWhilePausedWaitsForResume() {
        var h = SchedulerHarness(workflow([task("a", retry: RetryPolicy(maxRetries: 1, initialDelay: 1, jitter: 0))]))
        h.start()
        h.fail("a")
        h.send(.pause)
        h.send(.timerFired(.retry(taskID: "a", attempt: 1)))
        #expect(h.dispatchedLast.isEmpty)
        h.send(.resume)
        #expect(h.dispatchedLast == ["a"])
    }

    @Test func wrongStateControlsAreRejected() {
        var h = SchedulerHarness(workflow([task("a")]))
        #expect(h.send(.pause).rejection?.code == .invalidState)
        h.start()
        #expect(h.send(.resume).rejection?.code == .invalidState)
        h.send(.pause)
        #expect(h.send(.pause).rejection?.code == .invalidState)
        h.send(.cancel(reason: "stop"))
        #expect(h.send(.cancel(reason: "again")).rejection?.code == .invalidState)
        #expect(h.send(.resume).rejection?.code == .invalidState)
    }

    @Test func cancelCancelsInFlightAndMarksEverythingCanceled() {
        var h = SchedulerHarness(workflow([task("a"), task("b", after: ["a"]), task("c")]))
        h.start()
        h.succeed("c")
        h.send(.cancel(reason: "user asked"))
        #expect(h.workflowStatus == .canceled)
        #expect(h.status("a") == .canceled)
        #expect(h.status("b") == .canceled)
        #expect(h.status("c") == .completed)
        #expect(h.lastStep.actions.contains(.cancelInvocation(taskID: "a", attempt: 1)))
        #expect(h.lastStep.actions.contains(.finished(.canceled)))
        #expect(h.events.last?.type == .workflowCanceled)
        #expect(h.send(.taskSucceeded(taskID: "a", attempt: 1, output: [:])).isEmpty)
    }

    @Test func recoveryRedispatchesInFlightTasksWithRaisedAttempt() {
        var h = SchedulerHarness(workflow([task("a"), task("b", after: ["a"]), task("c")]))
        h.start()
        h.succeed("c")
        // The process dies here; a new machine is built from the stored state.
        var r = SchedulerHarness(resuming: h.machine.state, definition: h.machine.graph.definition, now: h.now.addingTimeInterval(10))
        r.send(.recover)
        #expect(r.events.first?.type == .stateChanged)
        #expect(r.dispatchedLast == ["a"])
        #expect(r.attempt("a") == 2)
        #expect(r.events(.taskStarted).first?.details["recovered"] == true)
        #expect(r.events.first?.seq == h.machine.state.record.lastSeq + 1)
        r.succeed("a")
        r.succeed("b")
        #expect(r.workflowStatus == .completed)
    }

    @Test func recoveryHonoursStoredRetryAndTimeoutDueTimes() {
        let policy = RetryPolicy(maxRetries: 3, initialDelay: 60, jitter: 0)
        var h = SchedulerHarness(workflow([task("slow", timeout: 5), task("later", retry: policy), task("due", retry: RetryPolicy(maxRetries: 3, initialDelay: 1, jitter: 0))], timeout: 3600))
        h.start()
        h.fail("later")
        h.fail("due")
        var r = SchedulerHarness(resuming: h.machine.state, definition: h.machine.graph.definition, now: h.now.addingTimeInterval(6))
        r.send(.recover)
        // slow's timeout passed while down: it counts as timed out (no retry policy → failed).
        #expect(r.status("slow") == .failed)
        #expect(r.events(.timeoutOccurred).count == 1)
        // later's retry is still 54 s away: re-armed, not dispatched.
        #expect(r.scheduled(.retry(taskID: "later", attempt: 1)) == h.now.addingTimeInterval(60))
        #expect(r.status("later") == .retrying)
        // due's retry came due while down: dispatched now.
        #expect(r.dispatchedLast == ["due"])
        #expect(r.scheduled(.workflowTimeout) == h.now.addingTimeInterval(3600))
    }

    @Test func recoveredPausedExecutionStaysPausedButFinishesInFlightWork() {
        var h = SchedulerHarness(workflow([task("a"), task("b", after: ["a"])]))
        h.start()
        h.send(.pause)
        var r = SchedulerHarness(resuming: h.machine.state, definition: h.machine.graph.definition, now: h.now)
        r.send(.recover)
        #expect(r.workflowStatus == .paused)
        #expect(r.dispatchedLast == ["a"])
        r.succeed("a")
        #expect(r.status("b") == .pending)
        r.send(.resume)
        #expect(r.dispatchedLast == ["b"])
    }

    @Test func recoveryStartsPendingExecutions() {
        let h = SchedulerHarness(workflow([task("a")]))
        var r = SchedulerHarness(resuming: h.machine.state, definition: h.machine.graph.definition, now: h.now)
        r.send(.recover)
        #expect(r.workflowStatus == .running)
        #expect(r.dispatchedLast == ["a"])
    }

    @Test func holdDispatchesStopsNewWorkWithoutChangingStatus() {
        var h = SchedulerHarness(workflow([task("a"), task("b", after: ["a"])]))
        h.start()
        h.machine.holdDispatches = true
        h.succeed("a")
        #expect(h.dispatchedLast.isEmpty)
        #expect(h.workflowStatus == .running)
        #expect(h.status("b") == .pending)
    }
}

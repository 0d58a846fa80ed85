import Foundation
import HarmoniaCore
import Testing

/// `harmonia.run_workflow` in the pure scheduler: the task asks for a child (no call), ends
/// with the child's result, and passes pause, resume and cancel on.
struct ExecutionMachineChildTests {
    func child(_ id: String, workflow: String = "child-wf", retry: RetryPolicy? = nil, timeout: Double? = nil) -> TaskDefinition {
        task(id, "run_workflow", input: ["workflow_id": .string(workflow), "input": ["n": 1]], retry: retry, timeout: timeout)
    }

    func starts(_ h: SchedulerHarness) -> [ChildStart] {
        h.actions.compactMap { if case .startChild(let start) = $0 { start } else { nil } }
    }

    func controls(_ step: SchedulerStep) -> [(String, ChildControl)] {
        step.actions.compactMap { if case .controlChild(let id, let control) = $0 { (id, control) } else { nil } }
    }

    @Test func theTaskAsksForAChildWithADerivedIdAndCompletesWithItsOutput() {
        var h = SchedulerHarness(workflow([child("sub"), task("after", after: ["sub"])]))
        h.start()
        #expect(h.dispatches.isEmpty)
        let start = try! #require(starts(h).first)
        #expect(start.workflowID == "child-wf")
        #expect(start.input == ["n": 1])
        #expect(start.childExecutionID == ChildExecutionID.make(parent: "exec-1", taskID: "sub", attempt: 1))
        #expect(h.events(.taskStarted).first?.details["child_execution_id"] == .string(start.childExecutionID))
        h.succeed("sub", ["outputs": ["x": 1]])
        #expect(h.status("sub") == .completed)
        #expect(h.dispatchedLast == ["after"])
    }

    @Test func aFailedChildIsRetriedWithANewChild() {
        var h = SchedulerHarness(workflow([child("sub", retry: RetryPolicy(maxRetries: 1, initialDelay: 1))]))
        h.start()
        h.fail("sub", code: "child_execution_failed", retryable: true)
        #expect(h.status("sub") == .retrying)
        h.advance(by: 5)
        h.send(.timerFired(.retry(taskID: "sub", attempt: 1)))
        let ids = starts(h).map(\.childExecutionID)
        #expect(ids.count == 2)
        #expect(ids[0] != ids[1])
        #expect(ids[1] == ChildExecutionID.make(parent: "exec-1", taskID: "sub", attempt: 2))
    }

    @Test func pauseResumeAndCancelReachTheChild() {
        var h = SchedulerHarness(workflow([child("sub")]))
        h.start()
        let id = ChildExecutionID.make(parent: "exec-1", taskID: "sub", attempt: 1)
        #expect(controls(h.send(.pause)).map(\.1) == [.pause])
        #expect(controls(h.lastStep).map(\.0) == [id])
        #expect(controls(h.send(.resume)).map(\.1) == [.resume])
        let canceled = controls(h.send(.cancel(reason: "stop")))
        #expect(canceled.count == 1)
        #expect(canceled.first?.0 == id)
        if case .cancel = canceled.first?.1 {} else { Issue.record("expected a cancel, got \(String(describing: canceled.first?.1))") }
        #expect(h.status("sub") == .canceled)
    }

    @Test func aTimeoutCancelsTheChild() {
        var h = SchedulerHarness(workflow([child("sub", timeout: 5)]))
        h.start()
        h.advance(by: 5)
        let step = h.send(.timerFired(.taskTimeout(taskID: "sub", attempt: 1)))
        #expect(controls(step).count == 1)
        #expect(h.machine.state.tasks["sub"]?.error?.code == "timeout")
    }

    @Test func recoveryKeepsTheAttemptSoTheSameChildIsFound() {
        var h = SchedulerHarness(workflow([child("sub")]))
        h.start()
        var r = SchedulerHarness(resuming: h.machine.state, definition: h.machine.graph.definition, now: h.now.addingTimeInterval(3))
        r.send(.recover)
        #expect(r.attempt("sub") == 1)
        #expect(starts(r).map(\.childExecutionID) == [ChildExecutionID.make(parent: "exec-1", taskID: "sub", attempt: 1)])
    }

    @Test func aMissingWorkflowIDFailsTheTaskForGood() {
        var h = SchedulerHarness(workflow([task("sub", "run_workflow", input: ["input": [:]])]))
        h.start()
        #expect(h.status("sub") == .failed)
        #expect(h.machine.state.tasks["sub"]?.error?.message.contains("workflow_id") == true)
        #expect(starts(h).isEmpty)
    }

    @Test func childIDsAreStableUUIDShapedAndDistinct() {
        let a = ChildExecutionID.make(parent: "p", taskID: "t", attempt: 1)
        #expect(a == ChildExecutionID.make(parent: "p", taskID: "t", attempt: 1))
        #expect(a != ChildExecutionID.make(parent: "p", taskID: "t", attempt: 2))
        #expect(a != ChildExecutionID.make(parent: "p", taskID: "t1", attempt: 1))
        #expect(UUID(uuidString: a) != nil)
    }
}

import Foundation
import HarmoniaCore
import Testing

/// `harmonia.wait_for_signal` in the pure scheduler: no call is made; a signal completes the
/// wait, is kept when nobody waits, and is consumed once.
struct ExecutionMachineSignalTests {
    func signal(_ name: String, _ payload: JSONValue = ["ok": true], id: String = UUID().uuidString) -> ExecutionSignal {
        ExecutionSignal(id: id, executionID: "exec-1", name: name, payload: payload, receivedAt: Date(timeIntervalSince1970: 1_800_000_000))
    }

    func wait(_ id: String, _ name: String, timeout: Double? = nil, after deps: [String] = []) -> TaskDefinition {
        var input: [String: JSONValue] = ["name": .string(name)]
        if let timeout { input["timeout"] = .double(timeout) }
        return task(id, "wait_for_signal", input: .object(input), after: deps)
    }

    @Test func aWaitMakesNoCallAndASignalCompletesItWithThePayload() {
        var h = SchedulerHarness(workflow([wait("approve", "approval"), task("after", after: ["approve"])]))
        h.start()
        #expect(h.status("approve") == .running)
        #expect(h.dispatches.isEmpty)
        #expect(h.events(.taskStarted).first?.details["waiting_for"] == "signal")
        let step = h.send(.signalReceived(signal("approval", ["by": "ada"], id: "s1")))
        #expect(h.status("approve") == .completed)
        #expect(h.machine.state.tasks["approve"]?.output == ["by": "ada"])
        #expect(h.events(.signalReceived).first?.details["consumed_by"] == "approve")
        #expect(step.signals.map(\.id) == ["s1"])
        #expect(step.signals.first?.consumedBy == "approve")
        #expect(h.dispatchedLast == ["after"])
    }

    @Test func aSignalBeforeTheWaitIsKeptAndConsumedOnce() {
        var h = SchedulerHarness(workflow([task("first"), wait("w1", "go", after: ["first"]), wait("w2", "go", after: ["w1"])]))
        h.start()
        let early = h.send(.signalReceived(signal("go", 1, id: "early")))
        #expect(h.machine.state.pendingSignals.map(\.id) == ["early"])
        #expect(early.signals.first?.isPending == true)
        h.succeed("first")
        #expect(h.status("w1") == .completed)
        #expect(h.machine.state.tasks["w1"]?.output == 1)
        #expect(h.machine.state.pendingSignals.isEmpty)
        #expect(h.lastStep.signals.first?.consumedBy == "w1")
        // The second wait for the same name needs a second signal.
        #expect(h.status("w2") == .running)
        h.send(.signalReceived(signal("go", 2)))
        #expect(h.machine.state.tasks["w2"]?.output == 2)
        #expect(h.workflowStatus == .completed)
    }

    @Test func aSignalOfAnotherNameIsKeptAndTheWaitGoesOn() {
        var h = SchedulerHarness(workflow([wait("w", "yes")]))
        h.start()
        h.send(.signalReceived(signal("no")))
        #expect(h.status("w") == .running)
        #expect(h.machine.state.pendingSignals.map(\.name) == ["no"])
    }

    @Test func theTaskThatStartedFirstTakesTheSignal() {
        var h = SchedulerHarness(workflow([wait("late", "x", after: ["gate"]), task("gate"), wait("early", "x")]))
        h.start()
        h.advance(by: 1)
        h.succeed("gate")
        h.send(.signalReceived(signal("x")))
        #expect(h.status("early") == .completed)
        #expect(h.status("late") == .running)
    }

    @Test func theTimeoutFailsTheTaskWithSignalTimeoutNotRetried() {
        let retry = RetryPolicy(maxRetries: 3)
        var definition = wait("w", "never", timeout: 30)
        definition.retryPolicy = retry
        var h = SchedulerHarness(workflow([definition]))
        h.start()
        let due = h.scheduled(.taskTimeout(taskID: "w", attempt: 1))
        #expect(due == h.now.addingTimeInterval(30))
        h.advance(by: 30)
        h.send(.timerFired(.taskTimeout(taskID: "w", attempt: 1)))
        #expect(h.status("w") == .failed)
        #expect(h.machine.state.tasks["w"]?.error?.code == "signal_timeout")
        #expect(h.machine.state.tasks["w"]?.error?.retryable == false)
        #expect(h.workflowStatus == .failed)
    }

    @Test func cancelWhileWaitingCancelsTheTaskAndLaterSignalsAreRefused() {
        var h = SchedulerHarness(workflow([wait("w", "x")]))
        h.start()
        h.send(.cancel(reason: "stop"))
        #expect(h.status("w") == .canceled)
        #expect(h.workflowStatus == .canceled)
        let late = h.send(.signalReceived(signal("x")))
        #expect(late.rejection?.code == .invalidState)
    }

    @Test func aSignalWhilePausedCompletesTheWaitButDispatchesNothing() {
        var h = SchedulerHarness(workflow([wait("w", "x"), task("after", after: ["w"])]))
        h.start()
        h.send(.pause)
        h.send(.signalReceived(signal("x")))
        #expect(h.status("w") == .completed)
        #expect(h.status("after") == .pending)
        h.send(.resume)
        #expect(h.dispatchedLast == ["after"])
    }

    @Test func recoveryResumesTheSameWaitWithItsDueTime() {
        var h = SchedulerHarness(workflow([wait("w", "x", timeout: 60)]))
        h.start()
        let due = h.machine.state.tasks["w"]?.timeoutAt
        var r = SchedulerHarness(resuming: h.machine.state, definition: h.machine.graph.definition, now: h.now.addingTimeInterval(10))
        r.send(.recover)
        #expect(r.status("w") == .running)
        #expect(r.attempt("w") == 1)
        #expect(r.machine.state.tasks["w"]?.timeoutAt == due)
        #expect(r.scheduled(.taskTimeout(taskID: "w", attempt: 1)) == due)
        #expect(r.dispatches.isEmpty)
        r.send(.signalReceived(signal("x")))
        #expect(r.workflowStatus == .completed)
    }

    static let badInputs: [(JSONValue, String)] = [
        (.object([:]), "needs `name`"), (["name": ""], "empty"), (["name": "a b"], "contains"),
        (["name": .string(String(repeating: "n", count: 129))], "129 bytes"), (["name": "x", "timeout": -1], "timeout"),
    ]

    @Test(arguments: badInputs)
    func badInputFailsTheTaskForGood(input: JSONValue, fragment: String) {
        var h = SchedulerHarness(workflow([task("w", "wait_for_signal", input: input)]))
        h.start()
        #expect(h.status("w") == .failed)
        #expect(h.machine.state.tasks["w"]?.error?.code == "invalid_input")
        #expect(h.machine.state.tasks["w"]?.error?.message.contains(fragment) == true)
    }

    @Test func aRolledBackSignalIsPendingNoMore() {
        var h = SchedulerHarness(workflow([wait("w", "x", after: ["gate"]), task("gate")]))
        h.start()
        h.machine.markRollbackPoint()
        h.send(.signalReceived(signal("x")))
        #expect(h.machine.state.pendingSignals.count == 1)
        h.machine.rollBack()
        #expect(h.machine.state.pendingSignals.isEmpty)
    }
}

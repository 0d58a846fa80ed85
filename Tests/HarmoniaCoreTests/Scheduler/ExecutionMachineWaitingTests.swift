import Foundation
import HarmoniaCore
import Testing

/// Tasks whose component is known but unavailable wait, visibly, instead of failing.
struct ExecutionMachineWaitingTests {
    func engramTask(_ id: String, after deps: [String] = [], timeout: Double? = nil) -> TaskDefinition {
        TaskDefinition(id: id, component: "engram", action: "store_memory", input: ["content": "x"], dependsOn: deps, timeout: timeout)
    }

    @Test func unavailableComponentMakesTheTaskWaitWithItsReason() {
        var h = SchedulerHarness(workflow([engramTask("m"), task("other")]))
        h.start()
        h.send(.componentUnavailable(taskID: "m", attempt: 1, reason: "engram is not registered with Hermes"))
        #expect(h.status("m") == .waiting)
        #expect(h.machine.state.tasks["m"]?.reason == "engram is not registered with Hermes")
        #expect(h.events.last?.type == .stateChanged)
        #expect(h.events.last?.details["status"] == "waiting")
        h.succeed("other")
        #expect(h.workflowStatus == .running)
        h.send(.componentAvailable(component: "ENGRAM"))
        #expect(h.dispatchedLast == ["m"])
        #expect(h.attempt("m") == 1)
        h.succeed("m")
        #expect(h.workflowStatus == .completed)
    }

    @Test func waitingFreesTheConcurrencySlot() {
        var h = SchedulerHarness(workflow([engramTask("m"), task("next")], maxConcurrency: 1))
        h.start()
        #expect(h.dispatchedLast == ["m"])
        h.send(.componentUnavailable(taskID: "m", attempt: 1, reason: "down"))
        #expect(h.dispatchedLast == ["next"])
    }

    @Test func timeoutBoundsTheWait() {
        var h = SchedulerHarness(workflow([engramTask("m", timeout: 10), task("after", after: ["m"])]))
        h.start()
        h.send(.componentUnavailable(taskID: "m", attempt: 1, reason: "down"))
        h.advance(by: 10)
        h.send(.timerFired(.taskTimeout(taskID: "m", attempt: 1)))
        #expect(h.status("m") == .failed)
        #expect(h.machine.state.tasks["m"]?.error?.code == "component_unavailable")
        #expect(h.status("after") == .skipped)
        #expect(h.workflowStatus == .failed)
    }

    @Test func comingBackKeepsTheOriginalTimeout() {
        var h = SchedulerHarness(workflow([engramTask("m", timeout: 10)]))
        h.start()
        let deadline = h.machine.state.tasks["m"]?.timeoutAt
        h.send(.componentUnavailable(taskID: "m", attempt: 1, reason: "down"))
        h.advance(by: 4)
        h.send(.componentAvailable(component: "engram"))
        #expect(h.machine.state.tasks["m"]?.timeoutAt == deadline)
        #expect(h.dispatches.last?.deadline == deadline)
    }

    @Test func availabilityWhilePausedWaitsForResume() {
        var h = SchedulerHarness(workflow([engramTask("m")]))
        h.start()
        h.send(.componentUnavailable(taskID: "m", attempt: 1, reason: "down"))
        h.send(.pause)
        h.send(.componentAvailable(component: "engram"))
        #expect(h.dispatchedLast.isEmpty)
        h.send(.resume)
        #expect(h.dispatchedLast == ["m"])
    }

    @Test func cancelEndsAWaitingTask() {
        var h = SchedulerHarness(workflow([engramTask("m")]))
        h.start()
        h.send(.componentUnavailable(taskID: "m", attempt: 1, reason: "down"))
        h.send(.cancel(reason: "stop"))
        #expect(h.status("m") == .canceled)
        #expect(h.workflowStatus == .canceled)
    }

    @Test func recoveryRetriesWaitingTasks() {
        var h = SchedulerHarness(workflow([engramTask("m", timeout: 60)]))
        h.start()
        h.send(.componentUnavailable(taskID: "m", attempt: 1, reason: "down"))
        var r = SchedulerHarness(resuming: h.machine.state, definition: h.machine.graph.definition, now: h.now.addingTimeInterval(5))
        r.send(.recover)
        #expect(r.dispatchedLast == ["m"])
        #expect(r.scheduled(.taskTimeout(taskID: "m", attempt: 1)) == h.now.addingTimeInterval(60))
    }
}

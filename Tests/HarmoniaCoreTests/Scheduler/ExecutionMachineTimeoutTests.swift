import Foundation
import HarmoniaCore
import Testing

/// One timeout story: whoever notices a task's timeout first — the engine's timer, the
/// adapter call's deadline, the adapter's own limit — the attempt ends with code `timeout`,
/// the message `task 'ID' timed out after N s`, and one `timeout_occurred` event.
struct ExecutionMachineTimeoutTests {
    /// The three ways a timed-out attempt can reach the machine, after `seconds`.
    enum Notice: CaseIterable {
        case engineTimer, callDeadline, adapterOwnLimit
    }

    /// Runs task `a` (timeout 2 s, no retries) until `notice` ends its attempt.
    static func timedOut(_ notice: Notice) -> SchedulerHarness {
        var h = SchedulerHarness(workflow([task("a", timeout: 2)]))
        h.start()
        switch notice {
        case .engineTimer:
            h.advance(by: 2)
            h.send(.timerFired(.taskTimeout(taskID: "a", attempt: 1)))
        case .callDeadline:
            // The plugin host's deadline message, as `PluginAdapter` reports it.
            h.advance(by: 2)
            h.send(
                .taskFailed(
                    taskID: "a", attempt: 1,
                    failure: TaskFailure(.timeout, "ergon.execute_command did not finish by its deadline", retryable: true)))
        case .adapterOwnLimit:
            // Ergon's local runner killing a command at its own 0.5 s limit.
            h.advance(by: 0.5)
            h.send(
                .taskFailed(
                    taskID: "a", attempt: 1,
                    failure: TaskFailure(code: "timeout", message: "sh did not finish within 0.5 s and was killed", retryable: false)))
        }
        return h
    }

    @Test(arguments: Notice.allCases)
    func everyTimeoutEndsTheAttemptTheSameWay(_ notice: Notice) throws {
        let h = Self.timedOut(notice)
        let error = try #require(h.machine.state.tasks["a"]?.error)
        #expect(error.code == "timeout")
        #expect(error.retryable)
        let seconds = notice == .adapterOwnLimit ? "0.5" : "2.0"
        #expect(error.message.hasPrefix("task 'a' timed out after \(seconds) s"), "\(error.message)")
        let events = h.events(.timeoutOccurred)
        #expect(events.count == 1)
        #expect(events.first?.taskID == "a")
        #expect(events.first?.details["scope"] == "task")
        #expect(events.first?.details["attempt"] == 1)
        #expect(events.first?.details["noticed_by"] == (notice == .engineTimer ? "engine" : "adapter"))
        #expect(h.status("a") == .failed)
        #expect(h.events(.taskFailed).map { $0.details["code"] } == ["timeout"])
    }

    @Test func theAdaptersWordsAreKept() {
        let h = Self.timedOut(.callDeadline)
        #expect(h.machine.state.tasks["a"]?.error?.message
            == "task 'a' timed out after 2.0 s: ergon.execute_command did not finish by its deadline")
        #expect(h.events(.timeoutOccurred).first?.details["adapter_message"]
            == "ergon.execute_command did not finish by its deadline")
    }

    @Test func anAdapterReportedTimeoutDisarmsTheTimerAndCancelsNothing() {
        let h = Self.timedOut(.adapterOwnLimit)
        #expect(h.lastStep.actions.contains(.cancelTimer(.taskTimeout(taskID: "a", attempt: 1))))
        #expect(!h.lastStep.actions.contains(.cancelInvocation(taskID: "a", attempt: 1)))
        let engine = Self.timedOut(.engineTimer)
        #expect(engine.lastStep.actions.contains(.cancelInvocation(taskID: "a", attempt: 1)))
    }

    @Test func anAdapterTimeoutIsRetriedLikeTheTimers() {
        var h = SchedulerHarness(workflow([task("a", retry: RetryPolicy(maxRetries: 1, initialDelay: 1, jitter: 0), timeout: 2)]))
        h.start()
        h.advance(by: 1)
        h.fail("a", code: "timeout", retryable: false)
        #expect(h.status("a") == .retrying)
        #expect(h.events(.retryAttempted).first?.details["code"] == "timeout")
        #expect(h.events(.timeoutOccurred).count == 1)
    }

    @Test func aTaskWithoutATimeoutShowsHowLongItRan() {
        var h = SchedulerHarness(workflow([task("a")]))
        h.start()
        h.advance(by: 30.004)
        h.fail("a", code: "timeout")
        #expect(h.machine.state.tasks["a"]?.error?.message == "task 'a' timed out after 30.0 s: a broke")
        let timeout = h.events(.timeoutOccurred).first?.details["timeout"]?.doubleValue ?? 0
        #expect(abs(timeout - 30.004) < 0.0001)
    }

    @Test func otherFailuresAreNotTimeouts() {
        var h = SchedulerHarness(workflow([task("a", timeout: 2)]))
        h.start()
        h.fail("a", code: "boom", retryable: false)
        #expect(h.events(.timeoutOccurred).isEmpty)
        #expect(h.machine.state.tasks["a"]?.error?.message == "a broke")
    }
}

import Foundation
import HarmoniaCore
import Testing

/// Failures: skipping dependents, fail-fast, retries with backoff, timeouts, expression errors.
struct ExecutionMachineFailureTests {
    @Test func failedDependencySkipsDependentsWhileOtherBranchFinishes() {
        var h = SchedulerHarness(workflow([task("a"), task("b", after: ["a"]), task("c", after: ["b"]), task("x"), task("y", after: ["x"])]))
        h.start()
        h.fail("a", retryable: false)
        #expect(h.status("a") == .failed)
        #expect(h.status("b") == .skipped)
        #expect(h.status("c") == .skipped)
        #expect(h.machine.state.tasks["b"]?.reason == "dependency 'a' failed")
        #expect(h.machine.state.tasks["c"]?.reason == "dependency 'b' skipped")
        #expect(h.workflowStatus == .running)
        h.succeed("x")
        h.succeed("y")
        #expect(h.workflowStatus == .failed)
        let failed = h.events(.workflowFailed).first
        #expect(failed?.details["failed_tasks"] == ["a"])
        #expect(h.events(.taskFailed).first?.details["code"] == "boom")
        #expect(h.machine.state.record.error?.code == "task_failed")
    }

    @Test func failFastCancelsRunningAndSkipsTheRest() {
        var h = SchedulerHarness(workflow([task("a"), task("b"), task("c", after: ["b"])], failFast: true))
        h.start()
        h.fail("a", retryable: false)
        #expect(h.status("b") == .canceled)
        #expect(h.status("c") == .skipped)
        #expect(h.workflowStatus == .failed)
        #expect(h.lastStep.actions.contains(.cancelInvocation(taskID: "b", attempt: 1)))
        // b's late answer changes nothing.
        let late = h.send(.taskSucceeded(taskID: "b", attempt: 1, output: [:]))
        #expect(late.isEmpty)
    }

    @Test func retriesWithGrowingDelaysThenFails() {
        let policy = RetryPolicy(maxRetries: 2, initialDelay: 1, maxDelay: 60, backoffMultiplier: 2, jitter: 0)
        var h = SchedulerHarness(workflow([task("a", retry: policy), task("b", after: ["a"])]))
        h.start()
        h.fail("a")
        #expect(h.status("a") == .retrying)
        let first = h.events(.retryAttempted)[0]
        #expect(first.details["retry_count"] == 1)
        #expect(first.details["max_retries"] == 2)
        #expect(first.details["delay"] == .double(1))
        #expect(h.scheduled(.retry(taskID: "a", attempt: 1)) == h.now.addingTimeInterval(1))
        h.advance(by: 1)
        h.send(.timerFired(.retry(taskID: "a", attempt: 1)))
        #expect(h.dispatchedLast == ["a"])
        #expect(h.attempt("a") == 2)
        h.fail("a")
        #expect(h.events(.retryAttempted)[1].details["delay"] == .double(2))
        h.advance(by: 2)
        h.send(.timerFired(.retry(taskID: "a", attempt: 2)))
        h.fail("a")
        #expect(h.status("a") == .failed)
        #expect(h.events(.retryAttempted).count == 2)
        #expect(h.events(.taskFailed).first?.details["retries"] == 2)
        #expect(h.status("b") == .skipped)
        #expect(h.workflowStatus == .failed)
    }

    @Test func jitterStaysWithinItsBand() {
        let policy = RetryPolicy(maxRetries: 50, initialDelay: 10, maxDelay: 10, backoffMultiplier: 1, jitter: 0.1)
        var h = SchedulerHarness(workflow([task("a", retry: policy)]))
        h.start()
        var delays: [Double] = []
        for retry in 1...50 {
            h.fail("a")
            delays.append(h.events(.retryAttempted).last!.details["delay"]!.doubleValue!)
            h.send(.timerFired(.retry(taskID: "a", attempt: retry)))
        }
        #expect(delays.allSatisfy { $0 >= 9 && $0 <= 10 })
        #expect(Set(delays).count > 1)
    }

    @Test func retryOnFiltersByCodeAndNonRetryableFailsAtOnce() {
        let policy = RetryPolicy(maxRetries: 3, initialDelay: 1, jitter: 0, retryOn: ["rate_limited"])
        var h = SchedulerHarness(workflow([task("a", retry: policy), task("b", retry: policy)]))
        h.start()
        h.fail("a", code: "bad_request")
        #expect(h.status("a") == .failed)
        h.fail("b", code: "rate_limited", retryable: false)
        #expect(h.status("b") == .failed)
        #expect(h.events(.retryAttempted).isEmpty)
    }

    @Test func workflowRetryPolicyIsTheDefault() {
        var definition = workflow([task("a")])
        definition.retryPolicy = RetryPolicy(maxRetries: 1, initialDelay: 0.5, jitter: 0)
        var h = SchedulerHarness(definition)
        h.start()
        h.fail("a")
        #expect(h.status("a") == .retrying)
    }

    @Test func retryTimerForAnotherAttemptIsIgnored() {
        var h = SchedulerHarness(workflow([task("a", retry: RetryPolicy(maxRetries: 1, jitter: 0))]))
        h.start()
        h.fail("a")
        let step = h.send(.timerFired(.retry(taskID: "a", attempt: 5)))
        #expect(step.isEmpty && step.actions.isEmpty)
        #expect(h.status("a") == .retrying)
    }

    @Test func taskTimeoutCancelsTheCallAndCountsAsRetryableFailure() {
        var h = SchedulerHarness(workflow([task("a", retry: RetryPolicy(maxRetries: 1, initialDelay: 1, jitter: 0), timeout: 5)]))
        h.start()
        #expect(h.dispatches[0].deadline == h.now.addingTimeInterval(5))
        #expect(h.scheduled(.taskTimeout(taskID: "a", attempt: 1)) == h.now.addingTimeInterval(5))
        h.advance(by: 5)
        h.send(.timerFired(.taskTimeout(taskID: "a", attempt: 1)))
        #expect(h.events(.timeoutOccurred).count == 1)
        #expect(h.lastStep.actions.contains(.cancelInvocation(taskID: "a", attempt: 1)))
        #expect(h.status("a") == .retrying)
        #expect(h.machine.state.tasks["a"]?.error?.code == "timeout")
        // The timed-out attempt's late answer is stale.
        #expect(h.send(.taskSucceeded(taskID: "a", attempt: 1, output: [:])).isEmpty)
        h.send(.timerFired(.retry(taskID: "a", attempt: 1)))
        h.send(.timerFired(.taskTimeout(taskID: "a", attempt: 2)))
        #expect(h.status("a") == .failed)
        #expect(h.workflowStatus == .failed)
    }

    @Test func completionDisarmsTheTimeout() {
        var h = SchedulerHarness(workflow([task("a", timeout: 5)]))
        h.start()
        h.succeed("a")
        #expect(h.lastStep.actions.contains(.cancelTimer(.taskTimeout(taskID: "a", attempt: 1))))
        let late = h.send(.timerFired(.taskTimeout(taskID: "a", attempt: 1)))
        #expect(late.isEmpty)
    }

    @Test func workflowTimeoutCancelsEverythingAndFails() {
        var h = SchedulerHarness(workflow([task("a"), task("b", after: ["a"])], timeout: 30))
        h.start()
        #expect(h.scheduled(.workflowTimeout) == h.now.addingTimeInterval(30))
        #expect(h.machine.state.record.deadline == h.now.addingTimeInterval(30))
        h.advance(by: 30)
        h.send(.timerFired(.workflowTimeout))
        #expect(h.workflowStatus == .failed)
        #expect(h.machine.state.record.error?.code == "workflow_timeout")
        #expect(h.status("a") == .canceled)
        #expect(h.status("b") == .canceled)
        #expect(h.events(.timeoutOccurred).first?.details["scope"] == "workflow")
        #expect(h.lastStep.actions.contains(.cancelInvocation(taskID: "a", attempt: 1)))
        #expect(h.lastStep.actions.contains(.finished(.failed)))
    }

    @Test func unresolvableExpressionFailsTheTaskNamingTheReference() {
        var h = SchedulerHarness(workflow([task("a"), task("b", "echo", input: ["message": "${tasks.a.output.missing}"], after: ["a"])]))
        h.start()
        h.succeed("a", ["result": 1])
        #expect(h.status("b") == .failed)
        let error = h.machine.state.tasks["b"]?.error
        #expect(error?.code == "expression_error")
        #expect(error?.message.contains("${tasks.a.output.missing}") == true)
        #expect(error?.retryable == false)
        #expect(h.workflowStatus == .failed)
    }
}

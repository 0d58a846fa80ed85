import Foundation

extension ExecutionMachine {
    mutating func succeed(_ p: Int, output: JSONValue, now: Date, step: inout SchedulerStep) {
        let id = graph.definition.tasks[p].id
        var attempt = 0
        var started = now
        var hadTimeout = false
        updateTask(p, step: &step) { task in
            attempt = task.attempt
            started = task.startedAt ?? now
            hadTimeout = task.timeoutAt != nil
            task.status = .completed
            task.output = output
            task.error = nil
            task.finishedAt = now
            task.timeoutAt = nil
        }
        runningCount -= 1
        terminalCount += 1
        if hadTimeout { step.actions.append(.cancelTimer(.taskTimeout(taskID: id, attempt: attempt))) }
        emit(
            .taskCompleted, taskID: id,
            details: ["duration": .double(now.timeIntervalSince(started)), "output": output, "attempt": .integer(attempt)],
            message: "task '\(id)' completed", now: now, step: &step)
        settle(graph.dependents[p], now: now, step: &step)
        dispatchReady(now: now, step: &step)
        finishIfDone(now: now, step: &step)
    }

    /// A running attempt failed: retry it if the policy allows, else fail the task.
    mutating func fail<R: RandomNumberGenerator>(_ p: Int, failure: TaskFailure, now: Date, rng: inout R, step: inout SchedulerStep) {
        let definition = graph.task(at: p)
        let current = state.tasks[definition.id] ?? TaskState(taskID: definition.id)
        if current.timeoutAt != nil, failure.code != HarmoniaError.Code.timeout.rawValue {
            step.actions.append(.cancelTimer(.taskTimeout(taskID: definition.id, attempt: current.attempt)))
        }
        guard let policy = graph.definition.effectiveRetryPolicy(for: definition), failure.retryable,
            current.retries < policy.maxRetries, policy.allows(code: failure.code)
        else {
            failPermanently(p, failure: failure, now: now, step: &step)
            return
        }
        let retry = current.retries + 1
        let delay = policy.delay(forRetry: retry, unit: Double.random(in: 0..<1, using: &rng))
        let due = now.addingTimeInterval(delay)
        updateTask(p, step: &step) { task in
            task.status = .retrying
            task.retries = retry
            task.error = failure
            task.nextAttemptAt = due
            task.timeoutAt = nil
        }
        runningCount -= 1
        emit(
            .retryAttempted, taskID: definition.id,
            details: [
                "retry_count": .integer(retry), "max_retries": .integer(policy.maxRetries), "delay": .double(delay),
                "error": .string(failure.message), "code": .string(failure.code), "attempt": .integer(current.attempt),
            ],
            message: "task '\(definition.id)' failed (\(failure.code)); retry \(retry) of \(policy.maxRetries) in \(String(format: "%.3f", delay)) s",
            now: now, step: &step)
        step.actions.append(.schedule(.retry(taskID: definition.id, attempt: current.attempt), due: due))
        dispatchReady(now: now, step: &step)
    }

    /// Fails the task for good, skips its dependents, and stops the workflow when fail-fast.
    mutating func failPermanently(_ p: Int, failure: TaskFailure, now: Date, step: inout SchedulerStep) {
        let id = graph.definition.tasks[p].id
        var wasRunning = false
        var attempt = 0
        var retries = 0
        updateTask(p, step: &step) { task in
            wasRunning = task.status == .running
            attempt = task.attempt
            retries = task.retries
            task.status = .failed
            task.error = failure
            task.finishedAt = now
            task.timeoutAt = nil
            task.nextAttemptAt = nil
        }
        if wasRunning { runningCount -= 1 }
        terminalCount += 1
        emit(
            .taskFailed, taskID: id,
            details: [
                "error": .string(failure.message), "code": .string(failure.code), "retries": .integer(retries),
                "attempt": .integer(attempt), "retryable": .bool(failure.retryable),
            ],
            message: "task '\(id)' failed: \(failure.message)", now: now, step: &step)
        if graph.definition.failFast, !state.record.status.isTerminal {
            stopForFailFast(failedTask: id, now: now, step: &step)
        } else {
            settle(graph.dependents[p], now: now, step: &step)
            dispatchReady(now: now, step: &step)
        }
        finishIfDone(now: now, step: &step)
    }

    /// Fail-fast: cancel what is in flight, skip what has not started.
    mutating func stopForFailFast(failedTask: String, now: Date, step: inout SchedulerStep) {
        let reason = "fail-fast: task '\(failedTask)' failed"
        for p in graph.topologicalOrder {
            switch status(p) {
            case .running, .retrying, .waiting:
                cancelTask(p, reason: reason, now: now, step: &step)
            case .pending:
                skip(p, reason: reason, now: now, step: &step)
            default:
                break
            }
        }
        ready.removeAll()
        readySet.removeAll()
    }

    mutating func skip(_ p: Int, reason: String, now: Date, step: inout SchedulerStep) {
        let id = graph.definition.tasks[p].id
        updateTask(p, step: &step) { task in
            task.status = .skipped
            task.reason = reason
            task.finishedAt = now
        }
        terminalCount += 1
        if readySet.remove(p) != nil { /* left in the heap; dispatchReady drops non-pending entries */  }
        emit(.taskSkipped, taskID: id, details: ["reason": .string(reason)], message: "task '\(id)' skipped: \(reason)", now: now, step: &step)
    }

    /// Cancels one unfinished task, canceling its call when one is in flight.
    mutating func cancelTask(_ p: Int, reason: String, now: Date, step: inout SchedulerStep) {
        let id = graph.definition.tasks[p].id
        var previous = TaskStatus.pending
        var attempt = 0
        updateTask(p, step: &step) { task in
            previous = task.status
            attempt = task.attempt
            task.status = .canceled
            task.reason = reason
            task.finishedAt = now
            task.timeoutAt = nil
            task.nextAttemptAt = nil
        }
        if previous == .running {
            runningCount -= 1
            step.actions.append(.cancelInvocation(taskID: id, attempt: attempt))
            cancelChild(p, attempt: attempt, reason: reason, step: &step)
        }
        stopInstances(p, reason: reason, now: now, step: &step)
        terminalCount += 1
        emit(
            .taskCanceled, taskID: id, details: ["reason": .string(reason), "previous_status": .string(previous.rawValue)],
            message: "task '\(id)' canceled: \(reason)", now: now, step: &step)
    }

    /// Ends the execution as `canceled` or `failed` (workflow timeout), canceling every
    /// unfinished task.
    mutating func terminate(_ status: WorkflowStatus, failure: TaskFailure, taskReason: String, now: Date, step: inout SchedulerStep) {
        for p in graph.topologicalOrder where !self.status(p).isTerminal {
            cancelTask(p, reason: taskReason, now: now, step: &step)
        }
        ready.removeAll()
        readySet.removeAll()
        state.record.status = status
        state.record.error = failure
        state.record.finishedAt = now
        if status == .canceled {
            emit(.workflowCanceled, details: ["reason": .string(failure.message)], message: "workflow canceled: \(failure.message)", now: now, step: &step)
        } else {
            emit(
                .workflowFailed, details: ["failed_tasks": .array(failedTaskIDs().map(JSONValue.string)), "error": .string(failure.message), "code": .string(failure.code)],
                message: "workflow failed: \(failure.message)", now: now, step: &step)
        }
        step.actions.append(.finished(status))
    }

    /// When every task is terminal, the workflow completes, or fails if any task failed.
    mutating func finishIfDone(now: Date, step: inout SchedulerStep) {
        guard terminalCount >= graph.count, !state.record.status.isTerminal, state.record.status != .pending else { return }
        let failed = failedTaskIDs()
        state.record.finishedAt = now
        let duration = now.timeIntervalSince(state.record.startedAt ?? now)
        if failed.isEmpty {
            state.record.status = .completed
            emit(.workflowCompleted, details: ["duration": .double(duration), "task_count": .integer(graph.count)], message: "workflow completed", now: now, step: &step)
            step.actions.append(.finished(.completed))
        } else {
            let failure = TaskFailure(.taskFailed, "task(s) failed: \(failed.joined(separator: ", "))", retryable: false)
            state.record.status = .failed
            state.record.error = failure
            emit(
                .workflowFailed, details: ["failed_tasks": .array(failed.map(JSONValue.string)), "error": .string(failure.message), "duration": .double(duration)],
                message: "workflow failed: \(failure.message)", now: now, step: &step)
            step.actions.append(.finished(.failed))
        }
        if state.record.deadline != nil { step.actions.append(.cancelTimer(.workflowTimeout)) }
    }

    func failedTaskIDs() -> [String] {
        graph.definition.tasks.compactMap { state.tasks[$0.id]?.status == .failed ? $0.id : nil }
    }
}

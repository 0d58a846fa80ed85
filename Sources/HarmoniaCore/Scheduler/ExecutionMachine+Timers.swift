import Foundation

extension ExecutionMachine {
    mutating func timerFired<R: RandomNumberGenerator>(_ timer: SchedulerTimer, now: Date, rng: inout R, step: inout SchedulerStep) {
        guard !state.record.status.isTerminal else { return }
        if instanceTimerFired(timer, now: now, rng: &rng, step: &step) { return }
        switch timer {
        case .retry(let taskID, let attempt):
            guard let p = graph.index[taskID], let task = state.tasks[taskID], task.status == .retrying, task.attempt == attempt else { return }
            markReady(p)
            dispatchReady(now: now, step: &step)
        case .taskTimeout(let taskID, let attempt):
            if let p = runningPosition(taskID, attempt) {
                timeOut(p, now: now, rng: &rng, step: &step)
            } else if let p = graph.index[taskID], let task = state.tasks[taskID], task.status == .waiting, task.attempt == attempt {
                giveUpWaiting(p, now: now, step: &step)
            }
        case .workflowTimeout:
            let timeout = graph.definition.timeout ?? 0
            emit(.timeoutOccurred, details: ["scope": "workflow", "timeout": .double(timeout)], message: "workflow timed out after \(timeout) s", now: now, step: &step)
            terminate(
                .failed, failure: TaskFailure(.workflowTimeout, "workflow timed out after \(timeout) s", retryable: false),
                taskReason: "workflow timed out", now: now, step: &step)
        }
    }

    /// A running attempt timed out: record it (`timeout_occurred`), stop the call, treat it as
    /// a retryable `timeout` failure.
    ///
    /// Whoever noticed first ends the attempt the same way: the engine's timer (`reported`
    /// nil: the call is canceled), or the adapter, reporting `timeout` from its own limit or
    /// its call's deadline (`reported`: the call has ended; the armed timer is disarmed). The
    /// message is always `task 'ID' timed out after N s`, N the task's timeout or, when the
    /// adapter's own limit came first, the time the attempt ran; the adapter's words follow it
    /// and are kept in the event's `adapter_message`.
    mutating func timeOut<R: RandomNumberGenerator>(
        _ p: Int, reported: TaskFailure? = nil, now: Date, rng: inout R, step: inout SchedulerStep
    ) {
        let definition = graph.task(at: p)
        if FlowAction.of(definition) == .waitForSignal {
            signalTimedOut(p, now: now, step: &step)
            return
        }
        let task = state.tasks[definition.id]
        let attempt = task?.attempt ?? 0
        let elapsed = task?.startedAt.map { now.timeIntervalSince($0) }
        // The timer fires at the configured timeout; an adapter that reports a timeout at (or
        // after) it hit the same limit, one that reports it earlier hit a limit of its own.
        let configured = definition.timeout
        let seconds: Double
        if let configured, reported == nil || (elapsed ?? 0) >= configured - 0.001 {
            seconds = configured
        } else {
            seconds = elapsed ?? configured ?? 0
        }
        let shown = Self.formatSeconds(seconds)
        var details: [String: JSONValue] = [
            "scope": "task", "timeout": .double(seconds), "attempt": .integer(attempt),
            "noticed_by": reported == nil ? "engine" : "adapter",
        ]
        var message = "task '\(definition.id)' timed out after \(shown) s"
        if let reported {
            details["adapter_message"] = .string(reported.message)
            message += ": \(reported.message)"
            if task?.timeoutAt != nil {
                step.actions.append(.cancelTimer(.taskTimeout(taskID: definition.id, attempt: attempt)))
            }
        } else {
            step.actions.append(.cancelInvocation(taskID: definition.id, attempt: attempt))
        }
        cancelChild(p, attempt: attempt, reason: "attempt \(attempt) timed out", step: &step)
        emit(
            .timeoutOccurred, taskID: definition.id, details: .object(details),
            message: "task '\(definition.id)' timed out after \(shown) s (attempt \(attempt))", now: now, step: &step)
        fail(p, failure: TaskFailure(.timeout, message, retryable: true), now: now, rng: &rng, step: &step)
    }

    /// Seconds as people read them: at most two decimals, at least one (`2.0`, `0.25`).
    static func formatSeconds(_ seconds: Double) -> String {
        let rounded = (seconds * 100).rounded() / 100
        return "\(rounded)"
    }

    /// A waiting task's timeout passed before its component came back.
    mutating func giveUpWaiting(_ p: Int, now: Date, step: inout SchedulerStep) {
        let definition = graph.task(at: p)
        let timeout = definition.timeout ?? 0
        let reason = state.tasks[definition.id]?.reason ?? "component unavailable"
        emit(
            .timeoutOccurred, taskID: definition.id, details: ["scope": "task", "timeout": .double(timeout), "waiting": true],
            message: "task '\(definition.id)' timed out after \(timeout) s waiting for component '\(definition.component)'", now: now,
            step: &step)
        failPermanently(
            p,
            failure: TaskFailure(
                .componentUnavailable, "component '\(definition.component)' still unavailable after \(timeout) s: \(reason)", retryable: false),
            now: now, step: &step)
    }

    /// After a restart: pending executions start; running and paused ones re-dispatch the
    /// attempts that were in flight (attempt raised; an attempt whose timeout already passed
    /// counts as timed out), re-arm stored retry and workflow timers, and continue.
    mutating func recover(now: Date, step: inout SchedulerStep) {
        var rng = SystemRandomNumberGenerator()
        switch state.record.status {
        case .pending:
            begin(now: now, step: &step)
            return
        case .completed, .failed, .canceled:
            return
        case .running, .paused:
            break
        }
        var inFlight: [Int] = []
        var retrying: [(Int, TaskState)] = []
        var waiting: [(Int, TaskState)] = []
        for p in graph.topologicalOrder {
            guard let task = state.tasks[graph.definition.tasks[p].id] else { continue }
            if task.status == .running { inFlight.append(p) }
            if task.status == .retrying { retrying.append((p, task)) }
            if task.status == .waiting { waiting.append((p, task)) }
        }
        emit(
            .stateChanged,
            details: ["reason": "recovered", "redispatched_tasks": .integer(inFlight.count), "status": .string(state.record.status.rawValue)],
            message: "execution recovered after restart; \(inFlight.count) in-flight task(s) dispatched again", now: now, step: &step)
        if let deadline = state.record.deadline {
            step.actions.append(.schedule(.workflowTimeout, due: deadline))
        }
        for p in inFlight {
            if graph.task(at: p).isMap {
                recoverMap(p, now: now, step: &step)
                continue
            }
            let id = graph.definition.tasks[p].id
            guard let task = state.tasks[id], task.status == .running else { continue }
            if let timeoutAt = task.timeoutAt, timeoutAt <= now {
                timeOut(p, now: now, rng: &rng, step: &step)
            } else {
                start(p, input: task.input ?? graph.task(at: p).input, recovered: true, now: now, step: &step)
            }
        }
        for (p, task) in retrying {
            if let due = task.nextAttemptAt, due > now {
                step.actions.append(.schedule(.retry(taskID: task.taskID, attempt: task.attempt), due: due))
            } else {
                markReady(p)
            }
        }
        // Waiting tasks try their component again; their timeout still bounds the wait.
        for (p, task) in waiting {
            if let due = task.timeoutAt, due <= now {
                giveUpWaiting(p, now: now, step: &step)
            } else {
                if let due = task.timeoutAt {
                    step.actions.append(.schedule(.taskTimeout(taskID: task.taskID, attempt: task.attempt), due: due))
                }
                markReady(p)
            }
        }
        settle(Array(graph.topologicalOrder), now: now, step: &step)
        dispatchReady(now: now, step: &step)
        finishIfDone(now: now, step: &step)
    }
}

import Foundation

/// The flow actions (`FlowAction`): tasks that wait for a signal or a child execution.
///
/// Such a task is `running` for as long as it waits, like a task whose call is in flight,
/// but no call is made: the wait is its stored state (status, attempt, resolved input,
/// timeout), and what ends it comes in as an input (`signalReceived`, or the child's end as
/// `taskSucceeded` / `taskFailed`). A restart therefore resumes the same wait: the attempt
/// is kept (so the same child is found again) and so is its due time.
extension ExecutionMachine {
    /// Starts (or, after a restart, resumes) the wait of a flow action.
    mutating func startFlow(_ p: Int, _ flow: FlowAction, input: JSONValue, recovered: Bool, now: Date, step: inout SchedulerStep) {
        let definition = graph.task(at: p)
        let current = state.tasks[definition.id] ?? TaskState(taskID: definition.id)
        let continuing = recovered && current.status == .running
        let attempt = continuing ? current.attempt : current.attempt + 1
        var timeoutAt = continuing ? current.timeoutAt : definition.timeout.map { now.addingTimeInterval($0) }
        let fields = input.objectValue ?? [:]
        var problem: String?
        var details: [String: JSONValue] = [
            "task_name": .string(definition.name), "attempt": .integer(attempt),
            "component": .string(definition.component), "action": .string(definition.action),
        ]
        var signalName = ""
        var child: ChildStart?
        switch flow {
        case .waitForSignal:
            details["waiting_for"] = "signal"
            if let name = fields["name"]?.stringValue {
                signalName = name
                details["signal"] = .string(name)
                do { try SignalName.validate(name, path: "tasks.\(definition.id).input.name") } catch {
                    problem = Self.message(error)
                }
            } else {
                problem = "wait_for_signal needs `name`: a string of 1–\(SignalName.maxBytes) characters of A-Z a-z 0-9 _ . -"
            }
            if let raw = fields["timeout"], !raw.isNull {
                if let seconds = raw.doubleValue, seconds > 0, seconds <= DurationLimit.maximumSeconds {
                    if !continuing { timeoutAt = min(timeoutAt ?? .distantFuture, now.addingTimeInterval(seconds)) }
                } else {
                    problem = problem ?? "wait_for_signal `timeout` must be a number of seconds above 0 and at most \(DurationLimit.maximumDescription)"
                }
            }
        case .runWorkflow:
            details["waiting_for"] = "child_execution"
            let childID = ChildExecutionID.make(parent: state.id, taskID: definition.id, attempt: attempt)
            details["child_execution_id"] = .string(childID)
            var version: Int?
            if let raw = fields["version"], !raw.isNull {
                if let v = raw.intValue, v >= 1 { version = v } else { problem = "run_workflow `version` must be an integer of at least 1" }
            }
            if let workflowID = fields["workflow_id"]?.stringValue, !workflowID.isEmpty {
                child = ChildStart(
                    taskID: definition.id, attempt: attempt, childExecutionID: childID, workflowID: workflowID, version: version,
                    input: fields["input"] ?? .emptyObject)
            } else {
                problem = problem ?? "run_workflow needs `workflow_id`: the id of a stored workflow"
            }
        }
        let wasRunning = current.status == .running
        updateTask(p, step: &step) { task in
            task.attempt = attempt
            task.status = .running
            task.input = input
            task.startedAt = continuing ? (task.startedAt ?? now) : now
            task.nextAttemptAt = nil
            task.timeoutAt = timeoutAt
            task.reason = nil
        }
        if !wasRunning { runningCount += 1 }
        if recovered { details["recovered"] = true }
        emit(
            .taskStarted, taskID: definition.id, details: .object(details),
            message: recovered
                ? "task '\(definition.id)' waits again after restart (attempt \(attempt))"
                : "task '\(definition.id)' started (attempt \(attempt))",
            now: now, step: &step)
        if let problem {
            failPermanently(p, failure: TaskFailure(.invalidInput, problem, retryable: false), now: now, step: &step)
            return
        }
        if flow == .waitForSignal, let i = state.pendingSignals.firstIndex(where: { $0.name == signalName }) {
            let signal = state.pendingSignals.remove(at: i)
            consume(signal, by: p, attempt: attempt, now: now, step: &step)
            return
        }
        if let timeoutAt {
            step.actions.append(.schedule(.taskTimeout(taskID: definition.id, attempt: attempt), due: timeoutAt))
        }
        if let child { step.actions.append(.startChild(child)) }
    }

    /// A signal arrived: the waiting task that started first takes it; else it is kept.
    mutating func receive(_ signal: ExecutionSignal, now: Date, step: inout SchedulerStep) {
        var details: [String: JSONValue] = ["name": .string(signal.name), "signal_id": .string(signal.id)]
        let waiting = waitingPosition(forSignal: signal.name)
        if let p = waiting { details["consumed_by"] = .string(graph.definition.tasks[p].id) }
        emit(
            .signalReceived, details: .object(details),
            message: waiting.map { "signal '\(signal.name)' received; task '\(graph.definition.tasks[$0].id)' takes it" }
                ?? "signal '\(signal.name)' received; kept until a task waits for it",
            now: now, step: &step)
        if let p = waiting {
            consume(signal, by: p, attempt: state.tasks[graph.definition.tasks[p].id]?.attempt ?? 0, now: now, step: &step)
        } else {
            state.pendingSignals.append(signal)
            step.signals.append(signal)
        }
    }

    /// The running `wait_for_signal` task for `name` that started first (position breaks ties).
    func waitingPosition(forSignal name: String) -> Int? {
        var best: (Int, Date)?
        for (p, task) in graph.definition.tasks.enumerated() where status(p) == .running && FlowAction.of(task) == .waitForSignal {
            guard let state = state.tasks[task.id], state.input?.objectValue?["name"]?.stringValue == name else { continue }
            let started = state.startedAt ?? .distantPast
            if best == nil || started < best!.1 { best = (p, started) }
        }
        return best?.0
    }

    /// Completes the wait of the task at `p` with the signal's payload; the signal is stored
    /// as consumed in the same step.
    private mutating func consume(_ signal: ExecutionSignal, by p: Int, attempt: Int, now: Date, step: inout SchedulerStep) {
        var signal = signal
        signal.consumedBy = graph.definition.tasks[p].id
        signal.consumedAttempt = attempt
        signal.consumedAt = now
        step.signals.append(signal)
        succeed(p, output: signal.payload, now: now, step: &step)
    }

    /// A `wait_for_signal` task's timeout passed: it fails for good with `signal_timeout`.
    mutating func signalTimedOut(_ p: Int, now: Date, step: inout SchedulerStep) {
        let definition = graph.task(at: p)
        let task = state.tasks[definition.id]
        let name = task?.input?.objectValue?["name"]?.stringValue ?? ""
        let waited = Self.formatSeconds(now.timeIntervalSince(task?.startedAt ?? now))
        emit(
            .timeoutOccurred, taskID: definition.id,
            details: ["scope": "task", "signal": .string(name), "attempt": .integer(task?.attempt ?? 0), "noticed_by": "engine"],
            message: "task '\(definition.id)' timed out waiting for signal '\(name)'", now: now, step: &step)
        failPermanently(
            p,
            failure: TaskFailure(
                .signalTimeout, "no signal '\(name)' arrived within \(waited) s (task '\(definition.id)')", retryable: false),
            now: now, step: &step)
    }

    /// Passes `control` to the child execution of every running `run_workflow` task.
    mutating func controlChildren(_ control: ChildControl, step: inout SchedulerStep) {
        for (p, task) in graph.definition.tasks.enumerated() where status(p) == .running && FlowAction.of(task) == .runWorkflow {
            let attempt = state.tasks[task.id]?.attempt ?? 0
            step.actions.append(
                .controlChild(executionID: ChildExecutionID.make(parent: state.id, taskID: task.id, attempt: attempt), control))
        }
    }

    /// When the task at `p` runs a child, asks for that child to be canceled (its attempt
    /// ended: canceled, timed out, fail-fast).
    mutating func cancelChild(_ p: Int, attempt: Int, reason: String, step: inout SchedulerStep) {
        let task = graph.task(at: p)
        guard FlowAction.of(task) == .runWorkflow else { return }
        step.actions.append(
            .controlChild(
                executionID: ChildExecutionID.make(parent: state.id, taskID: task.id, attempt: attempt),
                .cancel(reason: "parent \(state.id) task '\(task.id)': \(reason)")))
    }
}

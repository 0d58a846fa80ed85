import Foundation

extension ExecutionMachine {
    /// pending → running: arm the workflow timeout, find ready tasks, dispatch them.
    mutating func begin(now: Date, step: inout SchedulerStep) {
        state.record.status = .running
        state.record.startedAt = now
        if let timeout = graph.definition.timeout {
            let due = now.addingTimeInterval(timeout)
            state.record.deadline = due
            step.actions.append(.schedule(.workflowTimeout, due: due))
        }
        var details: [String: JSONValue] = [
            "workflow_id": .string(graph.definition.id), "workflow_name": .string(graph.definition.name),
            "workflow_version": .integer(graph.definition.version), "task_count": .integer(graph.count),
        ]
        if let restoredFrom = state.record.restoredFrom {
            details["restored_from"] = .string(restoredFrom)
            let kept = graph.definition.tasks.filter { state.tasks[$0.id]?.status == .completed }.map { JSONValue.string($0.id) }
            details["kept_tasks"] = .array(kept)
        }
        emit(
            .workflowStarted, details: .object(details),
            message: "workflow '\(graph.definition.name)' started", now: now, step: &step)
        settle(Array(graph.topologicalOrder), now: now, step: &step)
        dispatchReady(now: now, step: &step)
        finishIfDone(now: now, step: &step)
    }

    /// Re-evaluates pending tasks among `candidates`: each becomes ready when all its
    /// dependencies completed, or is skipped (and its dependents re-evaluated) when one of
    /// them failed, was skipped or was canceled.
    ///
    /// O(1) per candidate: the dependency counts are kept up to date as statuses change
    /// (`ExecutionMachine+Readiness`), so a join is not re-scanned on each completion.
    mutating func settle(_ candidates: [Int], now: Date, step: inout SchedulerStep) {
        var work = candidates.reversed() as [Int]
        while let p = work.popLast() {
            guard readiness.statuses[p] == .pending, !readySet.contains(p) else { continue }
            if readiness.blockingDependencies[p] > 0, let d = firstBlockingDependency(of: p) {
                let reason = "dependency '\(graph.definition.tasks[d].id)' \(readiness.statuses[d].rawValue)"
                skip(p, reason: reason, now: now, step: &step)
                work.append(contentsOf: graph.dependents[p])
            } else if readiness.unfinishedDependencies[p] == 0 {
                markReady(p)
            }
        }
    }

    mutating func markReady(_ p: Int) {
        guard readySet.insert(p).inserted else { return }
        ready.push(p)
    }

    /// Dispatches ready tasks, lowest position first, while the execution runs and the
    /// concurrency limit allows.
    mutating func dispatchReady(now: Date, step: inout SchedulerStep) {
        guard state.record.status == .running, !holdDispatches else { return }
        if !maps.isEmpty {
            for p in maps.keys.sorted() { dispatchInstances(p, now: now, step: &step) }
        }
        while let p = ready.min {
            if let limit = maxConcurrency, runningCount >= limit { return }
            _ = ready.pop()
            readySet.remove(p)
            let s = status(p)
            guard s == .pending || s == .retrying || s == .waiting else { continue }
            dispatch(p, now: now, step: &step)
        }
    }

    /// Evaluates the condition (first attempt only), resolves the input and starts an attempt.
    mutating func dispatch(_ p: Int, now: Date, step: inout SchedulerStep) {
        let definition = graph.task(at: p)
        let condition = graph.conditions[p]
        if definition.isMap, condition == nil {
            startMap(p, now: now, step: &step)
            return
        }
        guard condition != nil || graph.inputHasExpressions[p] else {
            // Nothing to evaluate: skip building the expression context (the common case).
            start(p, input: definition.input, recovered: false, now: now, step: &step)
            return
        }
        let current = state.tasks[definition.id] ?? TaskState(taskID: definition.id)
        let context = expressionContext(for: p)
        if current.attempt == 0, let condition {
            switch condition {
            case .failure(let error):
                failPermanently(p, failure: TaskFailure(.malformedExpression, error.message, retryable: false), now: now, step: &step)
                return
            case .success(let condition):
                do {
                    if try !condition.evaluate(in: context) {
                        skip(p, reason: "condition evaluated to false", now: now, step: &step)
                        settle(graph.dependents[p], now: now, step: &step)
                        finishIfDone(now: now, step: &step)
                        return
                    }
                } catch {
                    failPermanently(p, failure: TaskFailure(.expressionError, Self.message(error), retryable: false), now: now, step: &step)
                    return
                }
            }
        }
        if definition.isMap {
            startMap(p, now: now, step: &step)
            return
        }
        let input: JSONValue
        do {
            input = try Expressions.resolve(definition.input, in: context)
        } catch {
            failPermanently(p, failure: TaskFailure(.expressionError, Self.message(error), retryable: false), now: now, step: &step)
            return
        }
        start(p, input: input, recovered: false, now: now, step: &step)
    }

    /// Marks an attempt running and asks the runner to call the adapter.
    ///
    /// A task coming back from `waiting` keeps its attempt number and its original timeout:
    /// the attempt never reached the component, and the timeout bounds the wait too.
    mutating func start(_ p: Int, input: JSONValue, recovered: Bool, now: Date, step: inout SchedulerStep) {
        let definition = graph.task(at: p)
        if let flow = FlowAction.of(definition) {
            startFlow(p, flow, input: input, recovered: recovered, now: now, step: &step)
            return
        }
        let wasWaiting = status(p) == .waiting
        var timeoutAt = definition.timeout.map { now.addingTimeInterval($0) }
        var attempt = 0
        var wasRunning = false
        updateTask(p, step: &step) { task in
            wasRunning = task.status == .running
            if wasWaiting {
                timeoutAt = task.timeoutAt
            } else {
                task.attempt += 1
            }
            task.status = .running
            task.input = input
            task.startedAt = now
            task.nextAttemptAt = nil
            task.timeoutAt = timeoutAt
            task.reason = nil
            attempt = task.attempt
        }
        if !wasRunning { runningCount += 1 }
        var details: [String: JSONValue] = [
            "task_name": .string(definition.name), "attempt": .integer(attempt),
            "component": .string(definition.component), "action": .string(definition.action),
        ]
        if recovered { details["recovered"] = true }
        emit(
            .taskStarted, taskID: definition.id, details: .object(details),
            message: recovered
                ? "task '\(definition.id)' dispatched again after restart (attempt \(attempt))"
                : "task '\(definition.id)' started (attempt \(attempt))",
            now: now, step: &step)
        step.actions.append(
            .dispatch(
                Dispatch(
                    taskID: definition.id, attempt: attempt, component: definition.component, action: definition.action,
                    input: input, deadline: timeoutAt)))
        if let timeoutAt, !wasWaiting {
            step.actions.append(.schedule(.taskTimeout(taskID: definition.id, attempt: attempt), due: timeoutAt))
        }
    }

    /// running → waiting: the component is known but unavailable. The slot is freed; the
    /// task's timeout, if any, keeps running and bounds the wait.
    mutating func wait(_ p: Int, reason: String, now: Date, step: inout SchedulerStep) {
        let definition = graph.task(at: p)
        updateTask(p, step: &step) { task in
            task.status = .waiting
            task.reason = reason
        }
        runningCount -= 1
        emit(
            .stateChanged, taskID: definition.id,
            details: ["status": "waiting", "reason": .string(reason), "component": .string(definition.component)],
            message: "task '\(definition.id)' waiting: \(reason)", now: now, step: &step)
        dispatchReady(now: now, step: &step)
    }

    /// What expressions of the task at `p` can see: the input, its dependencies' outputs
    /// (validation makes every referenced task a dependency), workflow and execution facts.
    func expressionContext(for p: Int) -> ExpressionContext {
        var outputs: [String: JSONValue] = [:]
        for d in graph.dependencies[p] {
            let id = graph.definition.tasks[d].id
            if let output = state.tasks[id]?.output { outputs[id] = output }
        }
        let record = state.record
        var execution: [String: JSONValue] = [
            "id": .string(record.id), "workflow_id": .string(record.workflowID),
            "workflow_version": .integer(record.workflowVersion), "metadata": .object(record.metadata),
        ]
        if let started = record.startedAt { execution["started_at"] = .string(started.formatted(.iso8601)) }
        return ExpressionContext(
            input: record.input, taskOutputs: outputs,
            workflow: [
                "id": .string(graph.definition.id), "name": .string(graph.definition.name),
                "version": .integer(graph.definition.version),
            ],
            execution: .object(execution), env: environment)
    }

    static func message(_ error: any Error) -> String {
        (error as? HarmoniaError)?.message ?? "\(error)"
    }
}

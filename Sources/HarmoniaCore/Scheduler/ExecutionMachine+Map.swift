import Foundation

/// Map tasks (`for_each`): one task that runs its action once per item of a list.
///
/// The map task itself is one `running` task for the rest of the machine (it takes one slot
/// of the workflow's `max_concurrency` and its dependents wait for it as for any task); its
/// instances are scheduled here, bounded by the task's own `max_concurrency`, each with its
/// own durable row (`TaskInstanceState`), attempt count and retries. The task completes with
/// the instances' outputs in item order once all completed, and fails with the first
/// instance that fails for good (its in-flight siblings are canceled; the workflow's
/// `fail_fast` then applies as for any failed task).
///
/// Instances travel the runtime under their address (`fan[3]`, `TaskInstanceAddress`):
/// results, timers and cancellations for it come back through the ordinary task inputs and
/// are routed here when no task has that id.
extension ExecutionMachine {
    /// Starts the map task at `p`: resolves `for_each`, creates one pending instance per item
    /// (keeping completed instances carried over by a restore or a retry when their item is
    /// unchanged) and dispatches the first ones.
    mutating func startMap(_ p: Int, now: Date, step: inout SchedulerStep) {
        let definition = graph.task(at: p)
        let context = expressionContext(for: p)
        let items: [JSONValue]
        do {
            let resolved = try Expressions.resolve(definition.forEach ?? .array([]), in: context)
            guard case .array(let list) = resolved else {
                let failure = TaskFailure(
                    .forEachNotAList,
                    "for_each of task '\(definition.id)' must yield a list, got \(resolved.typeName)", retryable: false)
                failPermanently(p, failure: failure, now: now, step: &step)
                return
            }
            items = list
        } catch {
            failPermanently(p, failure: TaskFailure(.expressionError, Self.message(error), retryable: false), now: now, step: &step)
            return
        }
        var kept: [Int: TaskInstanceState] = [:]
        for instance in state.instances[definition.id] ?? [] where instance.status == .completed {
            kept[instance.index] = instance
        }
        rememberInstances(definition.id)
        var instances: [TaskInstanceState] = []
        instances.reserveCapacity(items.count)
        var completed = 0
        for (index, item) in items.enumerated() {
            if let old = kept[index], old.item == item {
                instances.append(old)
                completed += 1
            } else {
                instances.append(TaskInstanceState(taskID: definition.id, index: index, item: item))
            }
            step.changedInstances.insert(TaskInstanceKey(taskID: definition.id, index: index))
        }
        state.instances[definition.id] = instances
        var attempt = 0
        var wasRunning = false
        updateTask(p, step: &step) { task in
            wasRunning = task.status == .running
            task.attempt += 1
            task.status = .running
            task.input = nil
            task.startedAt = now
            task.nextAttemptAt = nil
            task.timeoutAt = nil
            task.reason = nil
            attempt = task.attempt
        }
        if !wasRunning { runningCount += 1 }
        emit(
            .taskStarted, taskID: definition.id,
            details: [
                "task_name": .string(definition.name), "attempt": .integer(attempt), "component": .string(definition.component),
                "action": .string(definition.action), "instances": .integer(items.count), "kept_instances": .integer(completed),
            ],
            message: "map task '\(definition.id)' started: \(items.count) instance(s)", now: now, step: &step)
        maps[p] = MapProgress(total: items.count, completed: completed, limit: definition.maxConcurrency, context: context)
        if completed == items.count {
            completeMap(p, now: now, step: &step)
        } else {
            dispatchInstances(p, now: now, step: &step)
        }
    }

    /// Dispatches instances of the map at `p` while the execution runs and its limit allows:
    /// instances due again (retry elapsed, component back) first, then pending ones in order.
    mutating func dispatchInstances(_ p: Int, now: Date, step: inout SchedulerStep) {
        guard state.record.status == .running, !holdDispatches, maps[p] != nil else { return }
        let id = graph.definition.tasks[p].id
        while true {
            if let limit = maps[p]!.limit, maps[p]!.running >= limit { return }
            let index: Int
            if let due = maps[p]!.due.pop() {
                let status = state.instances[id]![due].status
                guard status == .retrying || status == .waiting || status == .pending else { continue }
                index = due
            } else {
                var cursor = maps[p]!.cursor
                let instances = state.instances[id]!
                while cursor < instances.count, instances[cursor].status != .pending { cursor += 1 }
                guard cursor < instances.count else {
                    maps[p]!.cursor = cursor
                    return
                }
                maps[p]!.cursor = cursor + 1
                index = cursor
            }
            startInstance(p, index: index, recovered: false, now: now, step: &step)
            guard maps[p] != nil else { return }  // an instance input failed to resolve: the task failed
        }
    }

    /// Marks an instance attempt running and asks the runner to call the adapter under the
    /// instance's address. An instance coming back from `waiting` keeps its attempt and
    /// timeout, as a task does; a re-dispatch after a restart raises the attempt.
    mutating func startInstance(_ p: Int, index: Int, recovered: Bool, now: Date, step: inout SchedulerStep) {
        let definition = graph.task(at: p)
        let key = TaskInstanceKey(taskID: definition.id, index: index)
        let current = state.instances[definition.id]![index]
        var input = definition.input
        if graph.inputHasExpressions[p] {
            if maps[p]!.context == nil { maps[p]!.context = expressionContext(for: p) }
            var context = maps[p]!.context!
            context.item = current.item
            context.index = index
            do {
                input = try Expressions.resolve(definition.input, in: context)
            } catch {
                let failure = TaskFailure(
                    .expressionError, "instance \(index) of task '\(definition.id)': \(Self.message(error))", retryable: false)
                updateInstance(key, step: &step) { instance in
                    instance.status = .failed
                    instance.error = failure
                    instance.finishedAt = now
                }
                maps[p]!.failed += 1
                emitInstanceFailed(key, attempt: current.attempt, failure: failure, willRetry: false, now: now, step: &step)
                failMap(p, failure: failure, now: now, step: &step)
                return
            }
        }
        let wasWaiting = current.status == .waiting
        let timeoutAt = wasWaiting ? current.timeoutAt : definition.timeout.map { now.addingTimeInterval($0) }
        let attempt = wasWaiting ? current.attempt : current.attempt + 1
        updateInstance(key, step: &step) { instance in
            instance.status = .running
            instance.attempt = attempt
            instance.input = input
            instance.startedAt = now
            instance.nextAttemptAt = nil
            instance.timeoutAt = timeoutAt
        }
        if current.status != .running { maps[p]!.running += 1 }
        if wasWaiting { maps[p]!.waiting -= 1 }
        var details: [String: JSONValue] = ["index": .integer(index), "attempt": .integer(attempt)]
        if recovered { details["recovered"] = true }
        emit(
            .taskInstanceStarted, taskID: definition.id, details: .object(details),
            message: recovered
                ? "instance \(index) of task '\(definition.id)' dispatched again after restart (attempt \(attempt))"
                : "instance \(index) of task '\(definition.id)' started (attempt \(attempt))",
            now: now, step: &step)
        let address = TaskInstanceAddress.format(taskID: definition.id, index: index)
        step.actions.append(
            .dispatch(
                Dispatch(
                    taskID: address, attempt: attempt, component: definition.component, action: definition.action, input: input,
                    deadline: timeoutAt)))
        if let timeoutAt, !wasWaiting {
            step.actions.append(.schedule(.taskTimeout(taskID: address, attempt: attempt), due: timeoutAt))
        }
    }

    /// The map position and instance index of `address` when it names an instance running
    /// exactly `attempt`; nil for anything else (a task id, a stale report).
    func runningInstance(_ address: String, _ attempt: Int, status: TaskStatus = .running) -> (Int, Int)? {
        guard graph.index[address] == nil, let key = TaskInstanceAddress.parse(address), let p = graph.index[key.taskID],
            maps[p] != nil, let instances = state.instances[key.taskID], key.index < instances.count,
            instances[key.index].status == status, instances[key.index].attempt == attempt
        else { return nil }
        return (p, key.index)
    }

    mutating func instanceSucceeded(_ p: Int, index: Int, output: JSONValue, now: Date, step: inout SchedulerStep) {
        let id = graph.definition.tasks[p].id
        let key = TaskInstanceKey(taskID: id, index: index)
        let current = state.instances[id]![index]
        updateInstance(key, step: &step) { instance in
            instance.status = .completed
            instance.output = output
            instance.error = nil
            instance.finishedAt = now
            instance.timeoutAt = nil
        }
        if current.timeoutAt != nil {
            step.actions.append(.cancelTimer(.taskTimeout(taskID: key.address, attempt: current.attempt)))
        }
        maps[p]!.running -= 1
        maps[p]!.completed += 1
        emit(
            .taskInstanceCompleted, taskID: id,
            details: [
                "index": .integer(index), "attempt": .integer(current.attempt), "output": output,
                "duration": .double(now.timeIntervalSince(current.startedAt ?? now)),
            ],
            message: "instance \(index) of task '\(id)' completed", now: now, step: &step)
        if maps[p]!.completed == maps[p]!.total {
            completeMap(p, now: now, step: &step)
        } else {
            dispatchInstances(p, now: now, step: &step)
        }
    }

    /// An instance attempt failed: retry it under the task's policy, else fail the task.
    mutating func instanceFailed<R: RandomNumberGenerator>(
        _ p: Int, index: Int, failure: TaskFailure, now: Date, rng: inout R, step: inout SchedulerStep
    ) {
        let definition = graph.task(at: p)
        let key = TaskInstanceKey(taskID: definition.id, index: index)
        let current = state.instances[definition.id]![index]
        if current.timeoutAt != nil, failure.code != HarmoniaError.Code.timeout.rawValue {
            step.actions.append(.cancelTimer(.taskTimeout(taskID: key.address, attempt: current.attempt)))
        }
        if current.status == .running { maps[p]!.running -= 1 }
        if current.status == .waiting { maps[p]!.waiting -= 1 }
        guard let policy = graph.definition.effectiveRetryPolicy(for: definition), failure.retryable,
            current.retries < policy.maxRetries, policy.allows(code: failure.code)
        else {
            updateInstance(key, step: &step) { instance in
                instance.status = .failed
                instance.error = failure
                instance.finishedAt = now
                instance.timeoutAt = nil
            }
            maps[p]!.failed += 1
            emitInstanceFailed(key, attempt: current.attempt, failure: failure, willRetry: false, now: now, step: &step)
            let taskFailure = TaskFailure(
                code: failure.code, message: "instance \(index) of task '\(definition.id)' failed: \(failure.message)",
                retryable: false, details: ["index": .integer(index)])
            failMap(p, failure: taskFailure, now: now, step: &step)
            return
        }
        let retry = current.retries + 1
        let delay = policy.delay(forRetry: retry, unit: Double.random(in: 0..<1, using: &rng))
        let due = now.addingTimeInterval(delay)
        updateInstance(key, step: &step) { instance in
            instance.status = .retrying
            instance.retries = retry
            instance.error = failure
            instance.nextAttemptAt = due
            instance.timeoutAt = nil
        }
        emitInstanceFailed(
            key, attempt: current.attempt, failure: failure, willRetry: true, now: now, step: &step,
            extra: ["retry_count": .integer(retry), "max_retries": .integer(policy.maxRetries), "delay": .double(delay)])
        step.actions.append(.schedule(.retry(taskID: key.address, attempt: current.attempt), due: due))
        dispatchInstances(p, now: now, step: &step)
    }

    mutating func emitInstanceFailed(
        _ key: TaskInstanceKey, attempt: Int, failure: TaskFailure, willRetry: Bool, now: Date, step: inout SchedulerStep,
        extra: [String: JSONValue] = [:]
    ) {
        var details: [String: JSONValue] = [
            "index": .integer(key.index), "attempt": .integer(attempt), "code": .string(failure.code),
            "error": .string(failure.message), "will_retry": .bool(willRetry),
        ]
        details.merge(extra) { $1 }
        emit(
            .taskInstanceFailed, taskID: key.taskID, details: .object(details),
            message: willRetry
                ? "instance \(key.index) of task '\(key.taskID)' failed (\(failure.code)); it will be retried"
                : "instance \(key.index) of task '\(key.taskID)' failed: \(failure.message)",
            now: now, step: &step)
    }

    /// Every instance completed: the task completes with their outputs in item order.
    mutating func completeMap(_ p: Int, now: Date, step: inout SchedulerStep) {
        let id = graph.definition.tasks[p].id
        let outputs = (state.instances[id] ?? []).map { $0.output ?? .null }
        maps[p] = nil
        succeed(p, output: .array(outputs), now: now, step: &step)
    }

    /// An instance failed for good: the in-flight siblings are canceled and the task fails
    /// (skipping its dependents, or stopping the workflow under `fail_fast`).
    mutating func failMap(_ p: Int, failure: TaskFailure, now: Date, step: inout SchedulerStep) {
        stopInstances(p, reason: "instance of the same task failed", now: now, step: &step)
        failPermanently(p, failure: failure, now: now, step: &step)
    }

    /// Cancels the instances of the map at `p` that are in flight or due again (pending ones
    /// stay pending: they never started and never will) and forgets the map's progress.
    mutating func stopInstances(_ p: Int, reason: String, now: Date, step: inout SchedulerStep) {
        guard maps[p] != nil else { return }
        let id = graph.definition.tasks[p].id
        maps[p] = nil
        for instance in state.instances[id] ?? [] where instance.status == .running || instance.status == .retrying || instance.status == .waiting {
            let key = TaskInstanceKey(taskID: id, index: instance.index)
            updateInstance(key, step: &step) { instance in
                instance.status = .canceled
                instance.finishedAt = now
                instance.timeoutAt = nil
                instance.nextAttemptAt = nil
            }
            if instance.status == .running {
                step.actions.append(.cancelInvocation(taskID: key.address, attempt: instance.attempt))
            }
        }
    }

    /// Routes a timer armed for an instance; false when `timer` is not an instance's.
    mutating func instanceTimerFired<R: RandomNumberGenerator>(
        _ timer: SchedulerTimer, now: Date, rng: inout R, step: inout SchedulerStep
    ) -> Bool {
        switch timer {
        case .retry(let address, let attempt):
            guard graph.index[address] == nil, TaskInstanceAddress.parse(address) != nil else { return false }
            if let (p, index) = runningInstance(address, attempt, status: .retrying) {
                maps[p]!.due.push(index)
                dispatchInstances(p, now: now, step: &step)
            }
            return true
        case .taskTimeout(let address, let attempt):
            guard graph.index[address] == nil, TaskInstanceAddress.parse(address) != nil else { return false }
            if let (p, index) = runningInstance(address, attempt) {
                instanceTimedOut(p, index: index, now: now, rng: &rng, step: &step)
            } else if let (p, index) = runningInstance(address, attempt, status: .waiting) {
                let definition = graph.task(at: p)
                let failure = TaskFailure(
                    .componentUnavailable,
                    "component '\(definition.component)' still unavailable after \(definition.timeout ?? 0) s", retryable: false)
                instanceFailed(p, index: index, failure: failure, now: now, rng: &rng, step: &step)
            }
            return true
        case .workflowTimeout:
            return false
        }
    }

    /// The engine's timer ended a running instance attempt: its call is canceled and the
    /// attempt counts as a retryable `timeout` failure.
    mutating func instanceTimedOut<R: RandomNumberGenerator>(
        _ p: Int, index: Int, now: Date, rng: inout R, step: inout SchedulerStep
    ) {
        let definition = graph.task(at: p)
        let key = TaskInstanceKey(taskID: definition.id, index: index)
        let attempt = state.instances[definition.id]![index].attempt
        let seconds = Self.formatSeconds(definition.timeout ?? 0)
        step.actions.append(.cancelInvocation(taskID: key.address, attempt: attempt))
        emit(
            .timeoutOccurred, taskID: definition.id,
            details: ["scope": "instance", "index": .integer(index), "timeout": .double(definition.timeout ?? 0), "attempt": .integer(attempt)],
            message: "instance \(index) of task '\(definition.id)' timed out after \(seconds) s (attempt \(attempt))", now: now,
            step: &step)
        let failure = TaskFailure(.timeout, "instance \(index) of task '\(definition.id)' timed out after \(seconds) s", retryable: true)
        instanceFailed(p, index: index, failure: failure, now: now, rng: &rng, step: &step)
    }

    /// running → waiting for an instance whose component is known but unavailable; its slot
    /// is freed and it is dispatched again when the component returns.
    mutating func instanceWaits(_ p: Int, index: Int, reason: String, now: Date, step: inout SchedulerStep) {
        let definition = graph.task(at: p)
        let key = TaskInstanceKey(taskID: definition.id, index: index)
        updateInstance(key, step: &step) { $0.status = .waiting }
        maps[p]!.running -= 1
        maps[p]!.waiting += 1
        emit(
            .stateChanged, taskID: definition.id,
            details: ["status": "waiting", "index": .integer(index), "reason": .string(reason), "component": .string(definition.component)],
            message: "instance \(index) of task '\(definition.id)' waiting: \(reason)", now: now, step: &step)
        dispatchInstances(p, now: now, step: &step)
    }

    /// `component` is available again: its maps' waiting instances become due.
    mutating func instancesComponentAvailable(_ component: String) {
        let name = component.lowercased()
        for p in maps.keys where maps[p]!.waiting > 0 && graph.task(at: p).component.lowercased() == name {
            for instance in state.instances[graph.definition.tasks[p].id] ?? [] where instance.status == .waiting {
                maps[p]!.due.push(instance.index)
            }
        }
    }

    /// After a restart, for a map task that was running: instances in flight are dispatched
    /// again (attempt raised; one past its timeout counts as timed out), retry timers are
    /// re-armed, waiting ones try their component again, and the rest continue. Finished
    /// instances are never run again.
    mutating func recoverMap(_ p: Int, now: Date, step: inout SchedulerStep) {
        var rng = SystemRandomNumberGenerator()
        let id = graph.definition.tasks[p].id
        guard maps[p] != nil, let instances = state.instances[id] else {
            // Started with no instance stored: its list was empty or it never got that far.
            startMap(p, now: now, step: &step)
            return
        }
        if maps[p]!.completed == maps[p]!.total {
            completeMap(p, now: now, step: &step)
            return
        }
        for instance in instances {
            guard maps[p] != nil else { return }
            switch instance.status {
            case .running:
                // As for a task: the attempt in flight is dispatched again, paused or not
                // (a pause lets running work finish).
                if let timeoutAt = instance.timeoutAt, timeoutAt <= now {
                    instanceTimedOut(p, index: instance.index, now: now, rng: &rng, step: &step)
                } else {
                    startInstance(p, index: instance.index, recovered: true, now: now, step: &step)
                }
            case .retrying:
                if let due = instance.nextAttemptAt, due > now {
                    step.actions.append(.schedule(.retry(taskID: instance.address, attempt: instance.attempt), due: due))
                } else {
                    maps[p]!.due.push(instance.index)
                }
            case .waiting:
                if let due = instance.timeoutAt {
                    step.actions.append(.schedule(.taskTimeout(taskID: instance.address, attempt: instance.attempt), due: due))
                }
                maps[p]!.due.push(instance.index)
            default:
                break
            }
        }
        dispatchInstances(p, now: now, step: &step)
    }

    /// The progress of every running map task, rebuilt from the stored instances (`init`).
    static func makeMaps(graph: WorkflowGraph, state: ExecutionState) -> [Int: MapProgress] {
        var maps: [Int: MapProgress] = [:]
        for (p, task) in graph.definition.tasks.enumerated() where task.isMap && state.tasks[task.id]?.status == .running {
            guard let instances = state.instances[task.id] else { continue }
            var progress = MapProgress(total: instances.count, completed: 0, limit: task.maxConcurrency, context: nil)
            for instance in instances {
                switch instance.status {
                case .completed: progress.completed += 1
                case .failed: progress.failed += 1
                case .running: progress.running += 1
                case .waiting: progress.waiting += 1
                default: break
                }
            }
            maps[p] = progress
        }
        return maps
    }

    /// Mutates one instance and records it as changed.
    mutating func updateInstance(_ key: TaskInstanceKey, step: inout SchedulerStep, _ body: (inout TaskInstanceState) -> Void) {
        rememberInstance(key)
        body(&state.instances[key.taskID]![key.index])
        step.changedInstances.insert(key)
    }

    /// The instances of map tasks a checkpoint keeps: the completed ones of maps that have
    /// not completed (a completed map keeps its output as a whole).
    func checkpointInstances() -> [TaskInstanceState] {
        var kept: [TaskInstanceState] = []
        for task in graph.definition.tasks where task.isMap && state.tasks[task.id]?.status != .completed {
            kept += (state.instances[task.id] ?? []).filter { $0.status == .completed }
        }
        return kept
    }

    /// How far the map task `taskID` got: instances by status; nil for a task that is not a
    /// running or finished map.
    public func instanceCounts(of taskID: String) -> TaskInstanceCounts? {
        state.instances[taskID].map(TaskInstanceCounts.init)
    }
}

/// The derived progress of one running map task; rebuilt from the instances by `init`.
struct MapProgress: Sendable {
    var total: Int
    var completed: Int
    var failed = 0
    var running = 0
    var waiting = 0
    var limit: Int?
    /// The next index to look at for a pending instance (instances start in item order).
    var cursor = 0
    /// Instances due again before the pending ones: retry elapsed, component back, restart.
    var due = IndexHeap()
    /// What the instances' input expressions see, but `item` and `index` (built once: the
    /// outputs it holds are those of finished dependencies and never change).
    var context: ExpressionContext?

    init(total: Int, completed: Int, limit: Int?, context: ExpressionContext?) {
        self.total = total
        self.completed = completed
        self.limit = limit
        self.context = context
    }
}

extension TaskInstanceKey {
    var address: String { TaskInstanceAddress.format(taskID: taskID, index: index) }
}

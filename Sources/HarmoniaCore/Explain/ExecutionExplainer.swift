import Foundation

/// Explains an execution from its stored state: pure, so it gives the same answer on any
/// node and in tests, and costs one pass over the tasks.
///
/// The scheduler's own rules, read backwards: a `pending` task waits for its unfinished
/// dependencies, then (ready) for a pause to end, a component, or a concurrency slot; a
/// `waiting` task waits for its component; a `retrying` task for its retry timer. A task is
/// stuck when it waits for a component nothing will provide (not loaded, not expected from
/// Hermes) with no timeout to end the wait, or when it depends on a stuck task.
public enum ExecutionExplainer {
    public static func explain(
        _ state: ExecutionState, definition: WorkflowDefinition, defaultMaxConcurrency: Int? = nil,
        childStatus: (String) -> WorkflowStatus? = { _ in nil },
        component readiness: (String) -> ComponentReadiness
    ) -> ExecutionExplanation {
        let record = state.record
        guard !record.status.isTerminal else {
            return ExecutionExplanation(
                executionID: record.id, status: record.status, canProgress: false, stuckTasks: [],
                summary: "the execution has finished (\(record.status.rawValue)); nothing is waiting", tasks: [])
        }
        func status(_ id: String) -> TaskStatus { state.tasks[id]?.status ?? .pending }
        func ready(_ name: String) -> ComponentReadiness {
            name.lowercased() == "harmonia" ? .available : readiness(name)
        }
        let running = definition.tasks.filter { status($0.id) == .running }.count
        let limit = definition.maxConcurrency ?? defaultMaxConcurrency
        var stuck: Set<String> = []
        var readyAhead = 0
        var tasks: [TaskExplanation] = []
        // Definitions are stored validated: dependencies come before their dependents in
        // a topological order, so a dependency's verdict is known when a dependent needs it.
        for task in topologicallyOrdered(definition.tasks) {
            let current = status(task.id)
            guard !current.isTerminal else { continue }
            let taskState = state.tasks[task.id]
            let wait: TaskExplanation.Wait
            var hopeless = false
            switch current {
            case .running where FlowAction.of(task) == .waitForSignal:
                // A signal can always arrive: waiting for one is progress, never stuck.
                wait = .signal(name: taskState?.input?.objectValue?["name"]?.stringValue ?? "", timeoutAt: taskState?.timeoutAt)
            case .running where FlowAction.of(task) == .runWorkflow:
                let child = ChildExecutionID.make(parent: record.id, taskID: task.id, attempt: taskState?.attempt ?? 1)
                wait = .childExecution(id: child, status: childStatus(child))
            case .running where task.isMap && state.instances[task.id] != nil:
                wait = .mapInstances(TaskInstanceCounts(state.instances[task.id]!), limit: task.maxConcurrency)
            case .running:
                wait = .running(
                    component: task.component, attempt: taskState?.attempt ?? 1, since: taskState?.startedAt,
                    timeoutAt: taskState?.timeoutAt)
            case .retrying:
                wait = .retryTimer(dueAt: taskState?.nextAttemptAt, nextAttempt: (taskState?.attempt ?? 0) + 1)
            case .waiting:
                switch ready(task.component) {
                case .unknown:
                    wait = .unknownComponent(name: task.component, timeoutAt: taskState?.timeoutAt)
                    hopeless = taskState?.timeoutAt == nil
                case .unavailable(let reason):
                    wait = .component(name: task.component, reason: reason)
                case .available:
                    wait = .component(name: task.component, reason: taskState?.reason ?? "available again; dispatching")
                }
            default:
                let unfinished = task.dependsOn.filter { !status($0).isTerminal }
                if !unfinished.isEmpty {
                    wait = .dependencies(unfinished)
                    hopeless = unfinished.contains { stuck.contains($0) }
                } else if record.status == .paused {
                    wait = .paused
                } else {
                    switch ready(task.component) {
                    case .unknown:
                        // A new dispatch to an unknown component fails the task at once
                        // (progress); only a recovered execution waits for it.
                        wait = .unknownComponent(name: task.component, timeoutAt: nil)
                    case .unavailable(let reason):
                        wait = .component(name: task.component, reason: reason)
                    case .available:
                        if let limit, running >= limit {
                            wait = .concurrencySlot(limit: limit, running: running, ahead: readyAhead)
                        } else {
                            wait = .dispatch
                        }
                        readyAhead += 1
                    }
                }
            }
            if hopeless { stuck.insert(task.id) }
            tasks.append(
                TaskExplanation(
                    taskID: task.id, status: current, waitingFor: wait, detail: detail(task, wait), canProgress: !hopeless))
        }
        let stuckTasks = tasks.map(\.taskID).filter(stuck.contains)
        let canProgress = stuckTasks.isEmpty || record.deadline != nil
        return ExecutionExplanation(
            executionID: record.id, status: record.status, canProgress: canProgress, stuckTasks: stuckTasks,
            summary: summary(record, tasks: tasks, stuck: stuckTasks, canProgress: canProgress), tasks: tasks)
    }

    /// Tasks with each one after its dependencies (Kahn's algorithm, O(tasks + edges), in
    /// definition order among the ready); a cycle, which validation refuses, leaves the rest
    /// in definition order.
    static func topologicallyOrdered(_ tasks: [TaskDefinition]) -> [TaskDefinition] {
        var index: [String: Int] = [:]
        for (i, task) in tasks.enumerated() { index[task.id] = i }
        var missing = [Int](repeating: 0, count: tasks.count)
        var dependents = [[Int]](repeating: [], count: tasks.count)
        for (i, task) in tasks.enumerated() {
            for dependency in Set(task.dependsOn) {
                guard let d = index[dependency] else { continue }
                missing[i] += 1
                dependents[d].append(i)
            }
        }
        var ready = IndexHeap()
        for i in tasks.indices where missing[i] == 0 { ready.push(i) }
        var ordered: [TaskDefinition] = []
        ordered.reserveCapacity(tasks.count)
        var placed = [Bool](repeating: false, count: tasks.count)
        while let i = ready.pop() {
            ordered.append(tasks[i])
            placed[i] = true
            for j in dependents[i] {
                missing[j] -= 1
                if missing[j] == 0 { ready.push(j) }
            }
        }
        if ordered.count < tasks.count {
            ordered += tasks.indices.filter { !placed[$0] }.map { tasks[$0] }
        }
        return ordered
    }

    static func detail(_ task: TaskDefinition, _ wait: TaskExplanation.Wait) -> String {
        switch wait {
        case .running(let component, let attempt, _, let timeoutAt):
            let until = timeoutAt.map { ", times out at \(timestamp($0))" } ?? ", no timeout"
            return "attempt \(attempt) is running in \(component).\(task.action)\(until)"
        case .dependencies(let ids):
            return "waits for \(ids.count == 1 ? "task" : "tasks") \(ids.map { "'\($0)'" }.joined(separator: ", ")) to finish"
        case .component(let name, let reason):
            return "waits for component '\(name)': \(reason)"
        case .unknownComponent(let name, let timeoutAt):
            let end = timeoutAt.map { "; its timeout ends the wait at \(timestamp($0))" }
                ?? "; nothing will end the wait: enable the component (configuration or Hermes) or cancel the execution"
            return "no adapter serves component '\(name)' and none is expected\(end)"
        case .concurrencySlot(let limit, let running, let ahead):
            return "ready, waits for a slot: \(running) of max_concurrency \(limit) running, \(ahead) ready task(s) ahead"
        case .retryTimer(let dueAt, let nextAttempt):
            return "attempt \(nextAttempt) is due at \(dueAt.map(timestamp) ?? "once the engine's timer fires")"
        case .paused:
            return "ready, but the execution is paused: resume it to continue"
        case .dispatch:
            return "ready; being dispatched to \(task.component).\(task.action)"
        case .signal(let name, let timeoutAt):
            let until = timeoutAt.map { "; without one it fails with signal_timeout at \(timestamp($0))" } ?? "; no timeout"
            return "waits for signal '\(name)' (POST /api/v1/executions/{id}/signals/\(name))\(until)"
        case .childExecution(let id, let status):
            return "waits for child execution \(id) (\(status?.rawValue ?? "starting"))"
        case .mapInstances(let counts, let limit):
            let remaining = counts.total - counts.completed
            let bound = limit.map { " (max_concurrency \($0))" } ?? ""
            return "map task waits for \(remaining) of \(counts.total) instance(s): \(counts.running) running\(bound), "
                + "\(counts.retrying) retrying, \(counts.waiting) waiting for \(task.component), \(counts.pending) not started"
        }
    }

    static func summary(_ record: ExecutionRecord, tasks: [TaskExplanation], stuck: [String], canProgress: Bool) -> String {
        if !stuck.isEmpty {
            let names = stuck.map { "'\($0)'" }.joined(separator: ", ")
            return canProgress
                ? "task(s) \(names) cannot finish on their own; the workflow's deadline will end the execution"
                : "stuck: task(s) \(names) cannot finish without an operator"
        }
        if record.status == .paused { return "paused: resume it to continue (running attempts finish meanwhile)" }
        let running = tasks.filter {
            switch $0.waitingFor {
            case .running, .signal, .childExecution, .mapInstances: true
            default: false
            }
        }.count
        return "\(running) task(s) running, \(tasks.count - running) waiting; the execution can progress"
    }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}

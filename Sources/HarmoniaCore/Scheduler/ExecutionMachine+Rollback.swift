/// Undoing steps whose changes could not be stored.
///
/// The runner applies a batch of inputs to a machine, then commits the resulting changes; if
/// the commit fails, memory must go back to what the store holds. Keeping a copy of the
/// whole machine for that made every batch copy the execution's task table (10,000 task
/// states for a large fan-out) although a batch changes only a few tasks. Instead the
/// machine remembers, from the rollback point on, the prior value of each task it changes
/// (the first time it changes it) and the few small fields besides: the cost is
/// proportional to the work done, not to the size of the execution.
extension ExecutionMachine {
    /// What `rollBack()` restores.
    struct RollbackPoint: Sendable {
        var record: ExecutionRecord
        /// The value before the first change since the mark of every task changed since;
        /// `.some(nil)`: the task had no state yet.
        var tasks: [String: TaskState?] = [:]
        var ready: IndexHeap
        var readySet: Set<Int>
        var runningCount: Int
        var terminalCount: Int
        var pendingSignals: [ExecutionSignal]
        var maps: [Int: MapProgress]
        /// Prior values of map instances changed since the mark.
        var instances: [TaskInstanceKey: TaskInstanceState] = [:]
        /// Prior instance lists of map tasks started since the mark (`.some(nil)`: none).
        var instanceLists: [String: [TaskInstanceState]?] = [:]
    }

    /// Starts remembering how to undo the steps that follow; a no-op when already
    /// remembering (the point stays at the earliest uncommitted step).
    public mutating func markRollbackPoint() {
        guard rollbackPoint == nil else { return }
        rollbackPoint = RollbackPoint(
            record: state.record, ready: ready, readySet: readySet, runningCount: runningCount,
            terminalCount: terminalCount, pendingSignals: state.pendingSignals, maps: maps)
    }

    /// Whether steps since a rollback point are remembered.
    public var hasRollbackPoint: Bool { rollbackPoint != nil }

    /// Forgets how to undo: the steps since the mark are durable.
    public mutating func discardRollbackPoint() {
        rollbackPoint = nil
    }

    /// Puts the machine back as it was at the rollback point; a no-op without one.
    public mutating func rollBack() {
        guard let point = rollbackPoint else { return }
        rollbackPoint = nil
        state.record = point.record
        for (id, task) in point.tasks {
            state.tasks[id] = task
            if let p = graph.index[id] { statusChanged(p, from: readiness.statuses[p], to: task?.status ?? .pending) }
        }
        // Single instances first: a list replaced since the mark then replaces them all.
        for (key, instance) in point.instances where point.instanceLists[key.taskID] == nil {
            state.instances[key.taskID]?[key.index] = instance
        }
        for (id, list) in point.instanceLists { state.instances[id] = list }
        maps = point.maps
        ready = point.ready
        readySet = point.readySet
        runningCount = point.runningCount
        terminalCount = point.terminalCount
        state.pendingSignals = point.pendingSignals
    }

    /// Called before an instance changes: remembers its prior value once per rollback point.
    @inline(__always)
    mutating func rememberInstance(_ key: TaskInstanceKey) {
        guard rollbackPoint != nil, rollbackPoint!.instances[key] == nil else { return }
        rollbackPoint!.instances[key] = state.instances[key.taskID]?[key.index]
    }

    /// Called before a map task's instance list is replaced (the map starts).
    mutating func rememberInstances(_ taskID: String) {
        guard rollbackPoint != nil, rollbackPoint!.instanceLists[taskID] == nil else { return }
        rollbackPoint!.instanceLists[taskID] = .some(state.instances[taskID])
    }

    /// Called before a task's state changes: remembers its prior value once per rollback point.
    @inline(__always)
    mutating func rememberTask(_ id: String) {
        guard rollbackPoint != nil, rollbackPoint!.tasks[id] == nil else { return }
        rollbackPoint!.tasks[id] = .some(state.tasks[id])
    }
}

import HarmoniaCore

/// What a restore or a retry-from-failure keeps of map tasks that had not completed: their
/// completed instances, whose outputs are reused when the map starts again with the same
/// items (`ExecutionMachine.startMap`); every other instance runs again.
enum MapCarryOver {
    /// The completed instances of the map tasks of `state` that did not complete.
    static func completed(_ state: ExecutionState) -> [TaskInstanceState] {
        var kept: [TaskInstanceState] = []
        for (taskID, instances) in state.instances where state.tasks[taskID]?.status != .completed {
            kept += instances.filter { $0.status == .completed }.map { instance in
                var instance = instance
                instance.timeoutAt = nil
                instance.nextAttemptAt = nil
                return instance
            }
        }
        return kept
    }

    /// `instances` grouped by task for a new execution's state, only for its tasks that are
    /// not kept whole. The lists are sparse (only completed instances, in index order) until
    /// the map starts and lays out one instance per item.
    static func instances(_ instances: [TaskInstanceState], into state: ExecutionState) -> [String: [TaskInstanceState]] {
        var grouped: [String: [TaskInstanceState]] = [:]
        for instance in instances.sorted(by: { ($0.taskID, $0.index) < ($1.taskID, $1.index) })
        where state.tasks[instance.taskID].map({ $0.status != .completed }) == true {
            grouped[instance.taskID, default: []].append(instance)
        }
        return grouped
    }
}

import HarmoniaCore

/// The changes of one engine batch, per execution, waiting to be committed together.
///
/// Per execution it keeps what to write, what to do once the write is durable (actions,
/// replies), and how to undo the in-memory step if the write fails: the machine itself
/// remembers how to roll back (`ExecutionMachine.markRollbackPoint()`); the batch keeps the
/// inputs to deliver again and whether the machine is to be dropped instead.
struct Batch {
    struct Entry {
        var taskIDs: Set<String> = []
        /// Map instances changed by the batch's steps.
        var instanceKeys: Set<TaskInstanceKey> = []
        var events: [ExecutionEvent] = []
        var isNew: Bool
        /// True when a failed commit drops the machine rather than rolling it back: a new
        /// execution, or a finished one loaded only to be checkpointed.
        var dropOnFailure: Bool
        var actions: [SchedulerAction] = []
        var onSuccess: [() -> Void] = []
        var onFailure: [(any Error) -> Void] = []
        var redeliver: [EngineInput] = []
        var checkpoints: [Checkpoint] = []
        var signals: [ExecutionSignal] = []
        /// For a recovered execution: what to recover again if its commit fails.
        var recovery: (ExecutionState, WorkflowDefinition)?
    }

    private(set) var entries: [String: Entry] = [:]
    private(set) var order: [String] = []

    var isEmpty: Bool { order.isEmpty }

    /// Whether `id` already has changes in this batch.
    func contains(_ id: String) -> Bool { entries[id] != nil }
    var changes: [String] { order }

    /// Adds one scheduler step of `machine` (already applied) to the batch. Unless the
    /// machine is dropped on failure, it must have had a rollback point marked before the
    /// batch's first step of it.
    mutating func record(machine: ExecutionMachine, step: SchedulerStep, isNew: Bool, dropOnFailure: Bool = false) {
        let id = machine.state.id
        let index: [String: Entry].Index
        if let found = entries.index(forKey: id) {
            index = found
        } else {
            var entry = Entry(isNew: isNew, dropOnFailure: isNew || dropOnFailure)
            if isNew { entry.taskIDs = Set(machine.state.tasks.keys) }
            entries[id] = entry
            order.append(id)
            index = entries.index(forKey: id)!
        }
        // One lookup per step, then in-place appends through the index.
        entries.values[index].taskIDs.formUnion(step.changedTasks)
        if !step.changedInstances.isEmpty { entries.values[index].instanceKeys.formUnion(step.changedInstances) }
        entries.values[index].events.append(contentsOf: step.events)
        entries.values[index].actions.append(contentsOf: step.actions)
        if !step.checkpoints.isEmpty { entries.values[index].checkpoints.append(contentsOf: step.checkpoints) }
        if !step.signals.isEmpty { entries.values[index].signals.append(contentsOf: step.signals) }
    }

    mutating func reply(_ id: String, success: @escaping () -> Void, failure: @escaping (any Error) -> Void) {
        entries[id]?.onSuccess.append(success)
        entries[id]?.onFailure.append(failure)
    }

    /// Marks `id` as recovered from `state`: a failed commit recovers it again later.
    mutating func recoverOnFailure(_ id: String, state: ExecutionState, definition: WorkflowDefinition) {
        entries[id]?.recovery = (state, definition)
    }

    mutating func redeliverOnFailure(_ id: String, _ input: EngineInput) {
        entries[id]?.redeliver.append(input)
    }

    /// The store change for `id`, taken from the machine's current state.
    func change(for id: String, machine: ExecutionMachine) -> ExecutionChange {
        let entry = entries[id]!
        return ExecutionChange(
            record: machine.state.record,
            tasks: entry.taskIDs.sorted().compactMap { machine.state.tasks[$0] },
            events: entry.events,
            isNew: entry.isNew,
            checkpoints: entry.checkpoints,
            signals: entry.signals,
            instances: entry.instanceKeys.sorted().compactMap { key in
                machine.state.instances[key.taskID].flatMap { key.index < $0.count ? $0[key.index] : nil }
            })
    }

    func entry(_ id: String) -> Entry? { entries[id] }

    mutating func removeAll() {
        entries.removeAll()
        order.removeAll()
    }
}

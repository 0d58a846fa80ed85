/// One execution as the scheduler sees it: the execution row and every task's state.
public struct ExecutionState: Sendable, Hashable {
    public var record: ExecutionRecord
    /// Keyed by task id; holds an entry for every task of the definition.
    public var tasks: [String: TaskState]
    /// Signals received and not consumed yet, oldest first (stored in their own table).
    public var pendingSignals: [ExecutionSignal] = []
    /// Instances of map tasks by task id, in item order; absent for a map task that has not
    /// started (and for every other task).
    public var instances: [String: [TaskInstanceState]] = [:]

    public init(record: ExecutionRecord, tasks: [String: TaskState], instances: [String: [TaskInstanceState]] = [:]) {
        self.record = record
        self.tasks = tasks
        self.instances = instances
    }

    /// A fresh, pending execution of `definition` with every task pending.
    public init(record: ExecutionRecord, definition: WorkflowDefinition) {
        self.record = record
        var tasks: [String: TaskState] = [:]
        tasks.reserveCapacity(definition.tasks.count)
        for task in definition.tasks { tasks[task.id] = TaskState(taskID: task.id) }
        self.tasks = tasks
    }

    public var id: String { record.id }
    public var status: WorkflowStatus { record.status }
}

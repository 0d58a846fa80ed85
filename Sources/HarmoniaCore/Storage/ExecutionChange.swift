/// Everything one scheduler step changed for one execution, committed atomically.
///
/// The engine batches the changes of many executions into one transaction (group commit);
/// within it each change updates the execution row, upserts the changed task rows and
/// appends the new events, whose sequence numbers continue the stored log without a gap.
public struct ExecutionChange: Sendable, Hashable {
    /// The execution row after the step.
    public var record: ExecutionRecord
    /// Task rows the step changed (or all of them for a new execution).
    public var tasks: [TaskState]
    /// New events, in order, with `seq` continuing from the stored `last_seq`.
    public var events: [ExecutionEvent]
    /// True when the execution row does not exist yet.
    public var isNew: Bool
    /// Checkpoints taken in this step, stored with their `checkpoint_created` events.
    public var checkpoints: [Checkpoint]
    /// Signals received (new rows) or consumed (updated rows) in this step.
    public var signals: [ExecutionSignal] = []
    /// Instance rows of map tasks the step changed (upserted by task id and index).
    public var instances: [TaskInstanceState]

    public init(
        record: ExecutionRecord, tasks: [TaskState], events: [ExecutionEvent], isNew: Bool = false,
        checkpoints: [Checkpoint] = [], signals: [ExecutionSignal] = [], instances: [TaskInstanceState] = []
    ) {
        self.signals = signals
        self.instances = instances
        self.record = record
        self.tasks = tasks
        self.events = events
        self.isNew = isNew
        self.checkpoints = checkpoints
    }
}

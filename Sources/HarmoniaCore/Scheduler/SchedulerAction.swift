import Foundation

/// Work the runner performs after the step that asked for it is durably committed.
public enum SchedulerAction: Sendable, Hashable {
    /// Call the task's adapter.
    case dispatch(Dispatch)
    /// Cancel an in-flight call (timeout, workflow cancel, fail-fast).
    case cancelInvocation(taskID: String, attempt: Int)
    /// Arm a timer at `due`; a timer that fires after it stopped mattering is ignored.
    case schedule(SchedulerTimer, due: Date)
    /// Disarm a timer that no longer matters (the attempt it watched finished).
    case cancelTimer(SchedulerTimer)
    /// The execution reached a terminal status.
    case finished(WorkflowStatus)
    /// Start (or reattach to) the child execution of a `harmonia.run_workflow` attempt.
    case startChild(ChildStart)
    /// Pass a pause, resume or cancel on to a child execution.
    case controlChild(executionID: String, ChildControl)
}

/// One adapter call to make.
public struct Dispatch: Sendable, Hashable {
    public var taskID: String
    public var attempt: Int
    public var component: String
    public var action: String
    /// The task input with every expression resolved.
    public var input: JSONValue
    /// When the attempt times out, if the task has a timeout.
    public var deadline: Date?
}

/// What one `handle` call produced.
public struct SchedulerStep: Sendable {
    /// New log entries, already numbered, in order.
    public var events: [ExecutionEvent] = []
    /// Actions to perform after committing.
    public var actions: [SchedulerAction] = []
    /// Ids of tasks whose rows changed.
    public var changedTasks: Set<String> = []
    /// Set when the input was refused (pause of a paused execution...); nothing changed then.
    public var rejection: HarmoniaError?
    /// Checkpoints taken in this step, to store with their events.
    public var checkpoints: [Checkpoint] = []
    /// Signals received or consumed in this step, to store with its events.
    public var signals: [ExecutionSignal] = []
    /// Instances of map tasks whose rows changed.
    public var changedInstances: Set<TaskInstanceKey> = []

    public init() {}

    /// True when the step changed nothing that must be stored.
    public var isEmpty: Bool { events.isEmpty && changedTasks.isEmpty && changedInstances.isEmpty }
}

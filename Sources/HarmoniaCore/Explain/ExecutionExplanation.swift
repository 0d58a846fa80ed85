import Foundation

/// What an unfinished execution is waiting for, task by task, and whether it can still
/// move without an operator: the answer to "why is my run not moving?".
public struct ExecutionExplanation: Sendable, Hashable {
    public var executionID: String
    public var status: WorkflowStatus
    /// False when the execution has finished, or when a task can never finish on its own
    /// (then `stuckTasks` names them): an operator has to act (cancel, fix configuration).
    public var canProgress: Bool
    /// Tasks that can never finish without an operator, and the tasks waiting on them.
    public var stuckTasks: [String]
    /// One sentence for a person.
    public var summary: String
    /// Every unfinished task, in the workflow's order.
    public var tasks: [TaskExplanation]

    public init(
        executionID: String, status: WorkflowStatus, canProgress: Bool, stuckTasks: [String], summary: String,
        tasks: [TaskExplanation]
    ) {
        self.executionID = executionID
        self.status = status
        self.canProgress = canProgress
        self.stuckTasks = stuckTasks
        self.summary = summary
        self.tasks = tasks
    }
}

/// What one unfinished task waits for.
public struct TaskExplanation: Sendable, Hashable {
    public var taskID: String
    public var status: TaskStatus
    public var waitingFor: Wait
    /// The same, in words.
    public var detail: String
    /// False when the task can never finish on its own.
    public var canProgress: Bool

    public init(taskID: String, status: TaskStatus, waitingFor: Wait, detail: String, canProgress: Bool) {
        self.taskID = taskID
        self.status = status
        self.waitingFor = waitingFor
        self.detail = detail
        self.canProgress = canProgress
    }

    /// The kinds of wait, each with what a person needs to act on it.
    public enum Wait: Sendable, Hashable {
        /// An attempt is running in its component (`timeoutAt`: when it times out, if ever).
        case running(component: String, attempt: Int, since: Date?, timeoutAt: Date?)
        /// Dependencies that have not finished.
        case dependencies([String])
        /// The component is known but not available now (`reason` from discovery).
        case component(name: String, reason: String)
        /// No adapter serves the component and none is expected: only configuration (or
        /// Hermes listing it) can change that. Stuck unless `timeoutAt` ends the wait.
        case unknownComponent(name: String, timeoutAt: Date?)
        /// Ready, but the workflow's concurrency limit is reached.
        case concurrencySlot(limit: Int, running: Int, ahead: Int)
        /// A failed attempt's retry is due at `dueAt`.
        case retryTimer(dueAt: Date?, nextAttempt: Int)
        /// The execution is paused: nothing new is dispatched until it is resumed.
        case paused
        /// Ready and about to be dispatched.
        case dispatch
        /// A `harmonia.wait_for_signal` task waits for a signal `name` (until `timeoutAt`, if set).
        case signal(name: String, timeoutAt: Date?)
        /// A `harmonia.run_workflow` task waits for its child execution (`status` nil: not
        /// created yet, or not found).
        case childExecution(id: String, status: WorkflowStatus?)
        /// A map task (`for_each`) waits for its remaining instances; `limit` is its own
        /// `max_concurrency`.
        case mapInstances(TaskInstanceCounts, limit: Int?)
    }
}

/// Whether a component can serve calls, as the explainer needs to know it.
public enum ComponentReadiness: Sendable, Hashable {
    case available
    case unavailable(reason: String)
    case unknown
}

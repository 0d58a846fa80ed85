import Foundation

/// The state of one instance of a map task (a task with `for_each`): one item of its list.
///
/// Instances have their own durable row (`task_instances`), so a restart in the middle of a
/// map re-dispatches only the instances that were in flight (attempt raised) and never runs
/// a finished one again; the map task's own row holds the list of outputs once every
/// instance completed.
public struct TaskInstanceState: Sendable, Hashable, Codable {
    public var taskID: String
    /// Position of the item in the `for_each` list; `${index}` in the input.
    public var index: Int
    /// The item (`${item}`), kept so a restart resolves the same input without the list.
    public var item: JSONValue
    /// `pending`, `waiting`, `running`, `retrying`, `completed`, `failed` or `canceled`.
    public var status: TaskStatus
    /// Number of the current or last attempt; 0 before the first dispatch.
    public var attempt: Int
    /// Retries consumed (the task's `retry_policy` applies to each instance on its own).
    public var retries: Int
    /// The input of the last dispatch, with expressions resolved.
    public var input: JSONValue?
    public var output: JSONValue?
    public var error: TaskFailure?
    public var startedAt: Date?
    public var finishedAt: Date?
    /// When a `retrying` instance is due for its next attempt (durable timer).
    public var nextAttemptAt: Date?
    /// When the running attempt times out (the task's `timeout`, per attempt).
    public var timeoutAt: Date?

    public init(
        taskID: String, index: Int, item: JSONValue, status: TaskStatus = .pending, attempt: Int = 0, retries: Int = 0,
        input: JSONValue? = nil, output: JSONValue? = nil, error: TaskFailure? = nil, startedAt: Date? = nil,
        finishedAt: Date? = nil, nextAttemptAt: Date? = nil, timeoutAt: Date? = nil
    ) {
        self.taskID = taskID
        self.index = index
        self.item = item
        self.status = status
        self.attempt = attempt
        self.retries = retries
        self.input = input
        self.output = output
        self.error = error
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.nextAttemptAt = nextAttemptAt
        self.timeoutAt = timeoutAt
    }

    /// What calls, results and timers of this instance are keyed by (`fan[3]`).
    public var address: String { TaskInstanceAddress.format(taskID: taskID, index: index) }

    enum CodingKeys: String, CodingKey {
        case taskID = "task_id"
        case index, item, status, attempt, retries, input, output, error
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case nextAttemptAt = "next_attempt_at"
        case timeoutAt = "timeout_at"
    }
}

/// Identifies one instance of a map task.
public struct TaskInstanceKey: Sendable, Hashable, Comparable {
    public var taskID: String
    public var index: Int

    public init(taskID: String, index: Int) {
        self.taskID = taskID
        self.index = index
    }

    public static func < (a: TaskInstanceKey, b: TaskInstanceKey) -> Bool {
        (a.taskID, a.index) < (b.taskID, b.index)
    }
}

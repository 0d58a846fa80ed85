import Foundation

/// The current state of one task within one execution (a "task run" row).
public struct TaskState: Sendable, Hashable, Codable {
    public var taskID: String
    public var status: TaskStatus
    /// Number of the current or last attempt; 0 before the first dispatch. A re-dispatch
    /// after a crash raises it too, so adapters can tell a repeated call.
    public var attempt: Int
    /// Retries consumed so far (failed attempts that were retried).
    public var retries: Int
    /// The input of the last dispatch, with expressions resolved.
    public var input: JSONValue?
    public var output: JSONValue?
    public var error: TaskFailure?
    /// Why the task is skipped, waiting or canceled.
    public var reason: String?
    public var startedAt: Date?
    public var finishedAt: Date?
    /// When a `retrying` task is due for its next attempt (durable timer).
    public var nextAttemptAt: Date?
    /// When the running attempt times out (durable timer).
    public var timeoutAt: Date?

    public init(
        taskID: String, status: TaskStatus = .pending, attempt: Int = 0, retries: Int = 0,
        input: JSONValue? = nil, output: JSONValue? = nil, error: TaskFailure? = nil,
        reason: String? = nil, startedAt: Date? = nil, finishedAt: Date? = nil,
        nextAttemptAt: Date? = nil, timeoutAt: Date? = nil
    ) {
        self.taskID = taskID
        self.status = status
        self.attempt = attempt
        self.retries = retries
        self.input = input
        self.output = output
        self.error = error
        self.reason = reason
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.nextAttemptAt = nextAttemptAt
        self.timeoutAt = timeoutAt
    }

    enum CodingKeys: String, CodingKey {
        case taskID = "task_id"
        case status, attempt, retries, input, output, error, reason
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case nextAttemptAt = "next_attempt_at"
        case timeoutAt = "timeout_at"
    }
}

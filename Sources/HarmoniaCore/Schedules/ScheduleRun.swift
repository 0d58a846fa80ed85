import Foundation

/// One due time of a schedule and what came of it: an execution started, a run skipped
/// because the previous one was still going, due times missed while the server was down,
/// or a start that failed (say the workflow was deleted).
public struct ScheduleRun: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Hashable, Codable, CaseIterable {
        /// An execution was started (`execution_id`).
        case started
        /// The overlap policy `skip` held this run back: the previous one was unfinished.
        case skipped
        /// Due times passed while the server was down and the missed-run policy did not
        /// run them (`missed_count` of them, the latest being `due_at`).
        case missed
        /// The start was refused (`reason`); the schedule goes on.
        case failed
    }

    public var scheduleID: String
    /// The due time this run stands for (for `missed`, the latest missed one).
    public var dueAt: Date
    /// When the service acted on it.
    public var recordedAt: Date
    public var outcome: Outcome
    public var executionID: String?
    /// `cancel_previous`: the unfinished execution that was canceled first.
    public var canceledExecutionID: String?
    /// Due times this record stands for beyond its own: missed ones folded into a `run_once`
    /// start, or the count of a `missed` record.
    public var missedCount: Int
    public var reason: String?

    public init(
        scheduleID: String, dueAt: Date, recordedAt: Date, outcome: Outcome, executionID: String? = nil,
        canceledExecutionID: String? = nil, missedCount: Int = 0, reason: String? = nil
    ) {
        self.scheduleID = scheduleID
        self.dueAt = dueAt
        self.recordedAt = recordedAt
        self.outcome = outcome
        self.executionID = executionID
        self.canceledExecutionID = canceledExecutionID
        self.missedCount = missedCount
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case scheduleID = "schedule_id"
        case dueAt = "due_at"
        case recordedAt = "recorded_at"
        case outcome
        case executionID = "execution_id"
        case canceledExecutionID = "canceled_execution_id"
        case missedCount = "missed_count"
        case reason
    }
}

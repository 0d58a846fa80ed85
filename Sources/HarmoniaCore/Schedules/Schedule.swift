import Foundation

/// A stored schedule: which workflow to start, with what, and when.
///
/// `nextDueAt` is the durable cursor of the schedule service: the due time it has not acted
/// on yet. It moves only together with the record of what was done at the previous one
/// (`Store.recordScheduleRun`), so a restart resumes exactly where the last run left off.
public struct Schedule: Sendable, Hashable {
    /// What to do with due times that passed while the server was down.
    public enum MissedRunPolicy: String, Sendable, Hashable, Codable, CaseIterable {
        /// No catch-up: the next run is the next due time after now.
        case skip
        /// One run for all the missed due times (recording the latest), then on as usual.
        case runOnce = "run_once"
    }

    /// What to do when a run comes due while this schedule's previous execution is unfinished.
    public enum OverlapPolicy: String, Sendable, Hashable, Codable, CaseIterable {
        /// Start anyway.
        case allow
        /// Do not start; record the run as skipped.
        case skip
        /// Cancel the unfinished execution, then start.
        case cancelPrevious = "cancel_previous"
    }

    public var id: String
    public var name: String
    public var workflowID: String
    /// Nil: the workflow's newest version at each run.
    public var workflowVersion: Int?
    public var trigger: ScheduleTrigger
    public var input: JSONValue
    public var metadata: [String: JSONValue]
    public var missedRuns: MissedRunPolicy
    public var overlap: OverlapPolicy
    public var paused: Bool
    /// The first due time not acted on yet; nil when the trigger never fires again.
    public var nextDueAt: Date?
    /// No run is due before this time (nil: from creation).
    public var startAt: Date?
    /// No run is due after this time (nil: for ever).
    public var endAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String = UUID().uuidString.lowercased(), name: String? = nil, workflowID: String, workflowVersion: Int? = nil,
        trigger: ScheduleTrigger, input: JSONValue = .emptyObject, metadata: [String: JSONValue] = [:],
        missedRuns: MissedRunPolicy = .skip, overlap: OverlapPolicy = .skip, paused: Bool = false,
        nextDueAt: Date? = nil, startAt: Date? = nil, endAt: Date? = nil, createdAt: Date, updatedAt: Date? = nil
    ) {
        self.id = id
        self.name = name ?? id
        self.workflowID = workflowID
        self.workflowVersion = workflowVersion
        self.trigger = trigger
        self.input = input
        self.metadata = metadata
        self.missedRuns = missedRuns
        self.overlap = overlap
        self.paused = paused
        self.nextDueAt = nextDueAt
        self.startAt = startAt
        self.endAt = endAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }

    /// The idempotency key of the execution started for `dueAt`: a second start of the same
    /// due time (after a crash between the start and its record) returns the first execution.
    public func idempotencyKey(dueAt: Date) -> String {
        "schedule:\(id):\(Int64((dueAt.timeIntervalSince1970 * 1000).rounded()))"
    }

    /// The trigger's first due time strictly after `date` within `startAt`...`endAt`; nil
    /// when none is left.
    public func nextDue(after date: Date) -> Date? {
        var from = date
        if let startAt, startAt > date {
            // A due time exactly at startAt counts.
            from = startAt.addingTimeInterval(-0.001)
        }
        guard let due = trigger.next(after: from) else { return nil }
        if let endAt, due > endAt { return nil }
        return due
    }

    /// The next `count` due times from `now` on (from the stored cursor when it is later),
    /// for the API's `next_runs`; empty while paused.
    public func nextRuns(after now: Date, count: Int = 5) -> [Date] {
        guard !paused, let first = nextDueAt else { return [] }
        var times = [first]
        var cursor = max(first, now)
        while times.count < count, let due = nextDue(after: cursor) {
            times.append(due)
            cursor = due
        }
        return times
    }
}

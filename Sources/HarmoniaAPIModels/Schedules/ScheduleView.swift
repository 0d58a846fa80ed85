import Foundation
import HarmoniaCore

/// A schedule as the API returns it: its fields in snake_case with the trigger flattened
/// (`cron` + `timezone`, or `interval` in seconds), the next five due times, and its most
/// recent run records.
public struct ScheduleView: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var workflowID: String
    /// Null: the workflow's newest version at each run.
    public var workflowVersion: Int?
    public var cron: String?
    public var timezone: String?
    /// Seconds between runs, for interval schedules.
    public var interval: Int?
    public var input: JSONValue
    public var metadata: [String: JSONValue]
    public var missedRuns: String
    public var overlap: String
    public var paused: Bool
    /// The first due time not acted on yet; null while paused or when none is left.
    public var nextRunAt: Date?
    /// The next five due times (empty while paused).
    public var nextRuns: [Date]
    /// The newest run records, newest first (started, skipped, missed, failed).
    public var lastRuns: [ScheduleRun]
    /// No run before / after these times (null: unbounded).
    public var startAt: Date?
    public var endAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(_ schedule: Schedule, now: Date, lastRuns: [ScheduleRun] = []) {
        id = schedule.id
        name = schedule.name
        workflowID = schedule.workflowID
        workflowVersion = schedule.workflowVersion
        switch schedule.trigger {
        case .cron(let expression, let zone):
            cron = expression.description
            timezone = zone.identifier
        case .interval(let seconds, _):
            interval = seconds
        }
        input = schedule.input
        metadata = schedule.metadata
        missedRuns = schedule.missedRuns.rawValue
        overlap = schedule.overlap.rawValue
        paused = schedule.paused
        nextRunAt = schedule.paused ? nil : schedule.nextDueAt
        nextRuns = schedule.nextRuns(after: now)
        self.lastRuns = lastRuns
        startAt = schedule.startAt
        endAt = schedule.endAt
        createdAt = schedule.createdAt
        updatedAt = schedule.updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, cron, timezone, interval, input, metadata, overlap, paused
        case workflowID = "workflow_id"
        case workflowVersion = "workflow_version"
        case missedRuns = "missed_runs"
        case nextRunAt = "next_run_at"
        case nextRuns = "next_runs"
        case lastRuns = "last_runs"
        case startAt = "start_at"
        case endAt = "end_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// Writes `workflow_version`, `next_run_at` as null when absent (clients see every key);
    /// `cron`/`timezone` or `interval` only for their kind of schedule.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(workflowID, forKey: .workflowID)
        try container.encode(workflowVersion, forKey: .workflowVersion)
        try container.encodeIfPresent(cron, forKey: .cron)
        try container.encodeIfPresent(timezone, forKey: .timezone)
        try container.encodeIfPresent(interval, forKey: .interval)
        try container.encode(input, forKey: .input)
        try container.encode(metadata, forKey: .metadata)
        try container.encode(missedRuns, forKey: .missedRuns)
        try container.encode(overlap, forKey: .overlap)
        try container.encode(paused, forKey: .paused)
        try container.encode(nextRunAt, forKey: .nextRunAt)
        try container.encode(nextRuns, forKey: .nextRuns)
        try container.encode(lastRuns, forKey: .lastRuns)
        try container.encode(startAt, forKey: .startAt)
        try container.encode(endAt, forKey: .endAt)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

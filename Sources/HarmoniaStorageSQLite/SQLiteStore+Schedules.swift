import Foundation
import GRDB
import HarmoniaCore

/// Schedules: a row per schedule (trigger, policies, the cursor `next_due_at`) and a row per
/// due time acted on. Like templates they change at human pace (or once per due time), so
/// these use GRDB's ordinary statements, not the group-commit fast path.
extension SQLiteStore {
    /// Run records kept per schedule (`Store.recordScheduleRun`).
    static let keptScheduleRuns = 1000

    public func createSchedule(_ schedule: Schedule) async throws {
        let arguments = try Self.scheduleArguments(schedule)
        try await writing("create schedule \(schedule.id)") { db in
            do {
                try db.cachedStatement(sql: """
                    INSERT INTO schedules (id, name, workflow_id, workflow_version, cron, timezone, interval_seconds,
                        interval_anchor, input, metadata, missed_runs, overlap, paused, next_due_at, start_at, end_at,
                        created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
                ).execute(arguments: arguments)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                throw HarmoniaError(.conflict, "a schedule with id \(schedule.id) already exists")
            }
        }
    }

    public func updateSchedule(_ schedule: Schedule) async throws {
        let id = schedule.id
        let arguments = try Self.scheduleArguments(schedule) + [id]
        try await writing("update schedule \(id)") { db in
            try db.cachedStatement(sql: """
                UPDATE schedules SET id = ?, name = ?, workflow_id = ?, workflow_version = ?, cron = ?, timezone = ?,
                    interval_seconds = ?, interval_anchor = ?, input = ?, metadata = ?, missed_runs = ?, overlap = ?,
                    paused = ?, next_due_at = ?, start_at = ?, end_at = ?, created_at = ?, updated_at = ?
                WHERE id = ?
                """
            ).execute(arguments: arguments)
            guard db.changesCount > 0 else { throw HarmoniaError(.notFound, "no schedule with id \(id)") }
        }
    }

    public func schedule(id: String) async throws -> Schedule? {
        try await reading("read schedule \(id)") { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM schedules WHERE id = ?"), arguments: [id])
                .map(Self.schedule)
        }
    }

    public func listSchedules(limit: Int, offset: Int) async throws -> [Schedule] {
        let limit = max(0, limit)
        let offset = max(0, offset)
        return try await reading("list schedules") { db in
            try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM schedules ORDER BY created_at, id LIMIT ? OFFSET ?"),
                arguments: [limit, offset]
            ).map(Self.schedule)
        }
    }

    public func deleteSchedule(id: String) async throws -> Bool {
        try await writing("delete schedule \(id)") { db in
            try db.cachedStatement(sql: "DELETE FROM schedule_runs WHERE schedule_id = ?").execute(arguments: [id])
            try db.cachedStatement(sql: "DELETE FROM schedules WHERE id = ?").execute(arguments: [id])
            return db.changesCount > 0
        }
    }

    public func recordScheduleRun(_ run: ScheduleRun, nextDueAt: Date?) async throws {
        let id = run.scheduleID
        let keptRuns = Self.keptScheduleRuns
        let due: Int64 = try StoredDate.milliseconds(run.dueAt)
        let recorded: Int64 = try StoredDate.milliseconds(run.recordedAt)
        let runArguments: StatementArguments = [
            id, due, run.outcome.rawValue, recorded, run.executionID, run.canceledExecutionID, run.missedCount, run.reason,
        ]
        let next = try nextDueAt.map { try StoredDate.milliseconds($0) }
        try await writing("record a run of schedule \(id)") { db in
            try db.cachedStatement(sql: "UPDATE schedules SET next_due_at = ? WHERE id = ?").execute(arguments: [next, id])
            guard db.changesCount > 0 else { throw HarmoniaError(.notFound, "no schedule with id \(id)") }
            try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO schedule_runs (schedule_id, due_at, outcome, recorded_at, execution_id,
                    canceled_execution_id, missed_count, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """
            ).execute(arguments: runArguments)
            // Only the newest records are kept: a one-second schedule would otherwise add
            // 86,400 rows a day for ever.
            try db.cachedStatement(sql: """
                DELETE FROM schedule_runs WHERE schedule_id = ? AND due_at < (
                    SELECT due_at FROM schedule_runs WHERE schedule_id = ? ORDER BY due_at DESC LIMIT 1 OFFSET ?)
                """
            ).execute(arguments: [id, id, keptRuns - 1])
        }
    }

    public func scheduleRuns(scheduleID: String, limit: Int) async throws -> [ScheduleRun] {
        let limit = max(0, limit)
        return try await reading("read runs of schedule \(scheduleID)") { db in
            try Row.fetchAll(
                db.cachedStatement(sql: """
                    SELECT * FROM schedule_runs WHERE schedule_id = ? ORDER BY due_at DESC, recorded_at DESC LIMIT ?
                    """),
                arguments: [scheduleID, limit]
            ).map { row in
                let outcomeText: String = row["outcome"]
                let due: Int64 = row["due_at"]
                let recorded: Int64 = row["recorded_at"]
                guard let outcome = ScheduleRun.Outcome(rawValue: outcomeText) else {
                    throw HarmoniaError(.storageFailure, "stored schedule run outcome \(outcomeText) is unknown")
                }
                return ScheduleRun(
                    scheduleID: row["schedule_id"], dueAt: StoredDate.date(due),
                    recordedAt: StoredDate.date(recorded), outcome: outcome,
                    executionID: row["execution_id"], canceledExecutionID: row["canceled_execution_id"],
                    missedCount: row["missed_count"], reason: row["reason"])
            }
        }
    }

    /// The columns of `schedules`, in table order.
    private static func scheduleArguments(_ schedule: Schedule) throws -> StatementArguments {
        var cron: String?
        var timeZone: String?
        var seconds: Int?
        var anchor: Int64?
        switch schedule.trigger {
        case .cron(let expression, let zone):
            cron = expression.description
            timeZone = zone.identifier
        case .interval(let interval, let start):
            seconds = interval
            anchor = try StoredDate.milliseconds(start)
        }
        let nextDue: Int64? = try schedule.nextDueAt.map { try StoredDate.milliseconds($0) }
        let start: Int64? = try schedule.startAt.map { try StoredDate.milliseconds($0) }
        let end: Int64? = try schedule.endAt.map { try StoredDate.milliseconds($0) }
        let created: Int64 = try StoredDate.milliseconds(schedule.createdAt)
        let updated: Int64 = try StoredDate.milliseconds(schedule.updatedAt)
        return [
            schedule.id, schedule.name, schedule.workflowID, schedule.workflowVersion, cron, timeZone, seconds, anchor,
            schedule.input.jsonString(), JSONValue.object(schedule.metadata).jsonString(), schedule.missedRuns.rawValue,
            schedule.overlap.rawValue, schedule.paused, nextDue, start, end, created, updated,
        ]
    }

    private static func schedule(_ row: Row) throws -> Schedule {
        let id: String = row["id"]
        let trigger: ScheduleTrigger
        if let text: String = row["cron"] {
            let zoneName: String = row["timezone"] ?? "UTC"
            guard let zone = TimeZone(identifier: zoneName) else {
                throw HarmoniaError(.storageFailure, "schedule \(id): stored time zone \(zoneName) is unknown")
            }
            trigger = .cron(try CronExpression(text), timeZone: zone)
        } else if let seconds: Int = row["interval_seconds"], let anchor: Int64 = row["interval_anchor"] {
            trigger = .interval(seconds: seconds, anchor: StoredDate.date(anchor))
        } else {
            throw HarmoniaError(.storageFailure, "schedule \(id) has neither a cron expression nor an interval")
        }
        let missedText: String = row["missed_runs"]
        let overlapText: String = row["overlap"]
        guard let missed = Schedule.MissedRunPolicy(rawValue: missedText),
            let overlap = Schedule.OverlapPolicy(rawValue: overlapText)
        else {
            throw HarmoniaError(.storageFailure, "schedule \(id): stored policies \(missedText)/\(overlapText) are unknown")
        }
        let nextDue: Int64? = row["next_due_at"]
        let start: Int64? = row["start_at"]
        let end: Int64? = row["end_at"]
        let created: Int64 = row["created_at"]
        let updated: Int64 = row["updated_at"]
        return Schedule(
            id: id, name: row["name"], workflowID: row["workflow_id"], workflowVersion: row["workflow_version"],
            trigger: trigger, input: try StoredJSON.value(row["input"], column: "schedules.input"),
            metadata: try StoredJSON.object(row["metadata"], column: "schedules.metadata"), missedRuns: missed,
            overlap: overlap, paused: row["paused"], nextDueAt: nextDue.map { StoredDate.date($0) },
            startAt: start.map { StoredDate.date($0) }, endAt: end.map { StoredDate.date($0) }, createdAt: StoredDate.date(created), updatedAt: StoredDate.date(updated))
    }
}

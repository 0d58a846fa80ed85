import Foundation
import HarmoniaCore
import Testing

/// Schedules: every field round-trips, the id is unique, the cursor moves with its run
/// record in one step, and deletion takes the run records along.
extension StoreConformanceSuite {
    /// Both kinds of trigger, both policies and every optional field read back as written;
    /// an update replaces every field; a second create of an id is a conflict and an update
    /// of an unknown one is not found.
    public func testScheduleRoundTrip() async throws {
        let store = try await freshStore()
        let cron = Self.schedule(id: "s-cron", createdAt: Self.scheduleTime(1000))
        var interval = Self.schedule(id: "s-interval", createdAt: Self.scheduleTime(2000))
        interval.trigger = .interval(seconds: 90, anchor: Self.scheduleTime(2000))
        interval.workflowVersion = nil
        interval.missedRuns = .skip
        interval.overlap = .allow
        interval.nextDueAt = nil
        try await store.createSchedule(cron)
        try await store.createSchedule(interval)
        #expect(try await store.schedule(id: "s-cron") == cron)
        #expect(try await store.schedule(id: "s-interval") == interval)
        #expect(try await store.schedule(id: "unknown") == nil)
        await expectError(.conflict) { try await store.createSchedule(cron) }

        var changed = cron
        changed.name = "renamed"
        changed.paused = true
        changed.trigger = .cron(try CronExpression("*/5 * * * *"), timeZone: TimeZone(identifier: "Asia/Kolkata")!)
        changed.input = ["n": 2]
        changed.metadata = [:]
        changed.nextDueAt = Self.scheduleTime(9000)
        changed.startAt = Self.scheduleTime(8000)
        changed.endAt = Self.scheduleTime(99_000)
        changed.updatedAt = Self.scheduleTime(5000)
        try await store.updateSchedule(changed)
        #expect(try await store.schedule(id: "s-cron") == changed)
        await expectError(.notFound) { try await store.updateSchedule(Self.schedule(id: "missing", createdAt: Self.scheduleTime(1))) }
    }

    /// Oldest first, in pages.
    public func testScheduleListPaging() async throws {
        let store = try await freshStore()
        let c = Self.schedule(id: "c", createdAt: Self.scheduleTime(3000))
        let a = Self.schedule(id: "a", createdAt: Self.scheduleTime(1000))
        let b2 = Self.schedule(id: "b2", createdAt: Self.scheduleTime(2000))
        let b1 = Self.schedule(id: "b1", createdAt: Self.scheduleTime(2000))
        for schedule in [c, a, b2, b1] { try await store.createSchedule(schedule) }
        #expect(try await store.listSchedules(limit: 10, offset: 0).map(\.id) == ["a", "b1", "b2", "c"])
        #expect(try await store.listSchedules(limit: 2, offset: 1).map(\.id) == ["b1", "b2"])
        #expect(try await store.listSchedules(limit: 0, offset: 0).isEmpty)
        #expect(try await store.listSchedules(limit: 10, offset: 10).isEmpty)
    }

    /// A run record and the cursor move together; records read back newest due time first;
    /// the same due time and outcome recorded twice (a repeat after a crash) is kept once;
    /// a record for a deleted schedule is not found; deletion removes the records.
    public func testScheduleRunsAndCursor() async throws {
        let store = try await freshStore()
        let schedule = Self.schedule(id: "s", createdAt: Self.scheduleTime(0))
        try await store.createSchedule(schedule)
        let first = ScheduleRun(
            scheduleID: "s", dueAt: Self.scheduleTime(60_000), recordedAt: Self.scheduleTime(60_010), outcome: .started,
            executionID: "e1", missedCount: 2)
        let second = ScheduleRun(
            scheduleID: "s", dueAt: Self.scheduleTime(120_000), recordedAt: Self.scheduleTime(120_005), outcome: .skipped,
            reason: "execution e1 is still running")
        let third = ScheduleRun(
            scheduleID: "s", dueAt: Self.scheduleTime(180_000), recordedAt: Self.scheduleTime(180_001), outcome: .started,
            executionID: "e2", canceledExecutionID: "e1")
        try await store.recordScheduleRun(first, nextDueAt: Self.scheduleTime(120_000))
        #expect(try await store.schedule(id: "s")?.nextDueAt == Self.scheduleTime(120_000))
        try await store.recordScheduleRun(second, nextDueAt: Self.scheduleTime(180_000))
        try await store.recordScheduleRun(third, nextDueAt: nil)
        #expect(try await store.schedule(id: "s")?.nextDueAt == nil, "no due time left")
        try await store.recordScheduleRun(first, nextDueAt: nil)
        #expect(try await store.scheduleRuns(scheduleID: "s", limit: 10) == [third, second, first])
        #expect(try await store.scheduleRuns(scheduleID: "s", limit: 1) == [third])
        #expect(try await store.scheduleRuns(scheduleID: "other", limit: 10).isEmpty)

        #expect(try await store.deleteSchedule(id: "s"))
        #expect(try await store.deleteSchedule(id: "s") == false)
        #expect(try await store.schedule(id: "s") == nil)
        #expect(try await store.scheduleRuns(scheduleID: "s", limit: 10).isEmpty)
        await expectError(.notFound) { try await store.recordScheduleRun(third, nextDueAt: nil) }
        // The id is free again, with no old records.
        try await store.createSchedule(schedule)
        #expect(try await store.scheduleRuns(scheduleID: "s", limit: 10).isEmpty)
    }

    /// Whole milliseconds after a fixed instant, computed as a store reading milliseconds
    /// back computes them, so dates compare equal without normalizing.
    static func scheduleTime(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(1_750_000_000_000 + milliseconds) / 1000)
    }

    /// A busy schedule keeps at least its newest 1,000 run records, newest first, and its
    /// cursor follows the last record.
    public func testScheduleKeepsItsNewestRuns() async throws {
        let store = try await freshStore()
        try await store.createSchedule(Self.schedule(id: "busy", createdAt: Self.scheduleTime(0)))
        for second in 1...1005 {
            let due = Self.scheduleTime(Int64(second) * 1000)
            try await store.recordScheduleRun(
                ScheduleRun(scheduleID: "busy", dueAt: due, recordedAt: due, outcome: .started, executionID: "e\(second)"),
                nextDueAt: Self.scheduleTime(Int64(second + 1) * 1000))
        }
        let runs = try await store.scheduleRuns(scheduleID: "busy", limit: 2000)
        #expect(runs.count >= 1000)
        #expect(runs.prefix(1000).map(\.executionID) == (6...1005).reversed().map { "e\($0)" })
        #expect(try await store.schedule(id: "busy")?.nextDueAt == Self.scheduleTime(1_006_000))
    }

    /// A cron schedule in New York with every optional field set.
    static func schedule(id: String, createdAt: Date) -> Schedule {
        let milliseconds = Int64((createdAt.timeIntervalSince1970 * 1000).rounded()) - 1_750_000_000_000
        return Schedule(
            id: id, name: "nightly \(id)", workflowID: "wf-1", workflowVersion: 3,
            trigger: .cron(try! CronExpression("30 2 * * mon-fri"), timeZone: TimeZone(identifier: "America/New_York")!),
            input: ["region": "eu", "n": 1, "nested": ["a": [1, 2.5, "x", nil]]], metadata: ["owner": "ops"],
            missedRuns: .runOnce, overlap: .cancelPrevious, paused: false, nextDueAt: scheduleTime(milliseconds + 3_600_000),
            createdAt: createdAt, updatedAt: scheduleTime(milliseconds + 1000))
    }
}

import Foundation
import HarmoniaCore
import HarmoniaStorageSQLite
import Testing

/// SQLite keeps exactly the newest 1,000 run records of a schedule (the conformance suite
/// asks for at least that many), so a one-second schedule does not grow the file for ever.
struct SQLiteScheduleRunsTests {
    @Test func onlyTheNewestThousandRunsAreKept() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.migrate()
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        try await store.createSchedule(
            Schedule(id: "s", workflowID: "wf", trigger: .interval(seconds: 1, anchor: start), createdAt: start))
        for second in 1...1100 {
            let due = start.addingTimeInterval(Double(second))
            try await store.recordScheduleRun(
                ScheduleRun(scheduleID: "s", dueAt: due, recordedAt: due, outcome: second % 2 == 0 ? .started : .skipped),
                nextDueAt: due.addingTimeInterval(1))
        }
        let runs = try await store.scheduleRuns(scheduleID: "s", limit: 5000)
        #expect(runs.count == 1000)
        #expect(runs.first?.dueAt == start.addingTimeInterval(1100))
        #expect(runs.last?.dueAt == start.addingTimeInterval(101))
    }
}

import Foundation
import HarmoniaCore
import HarmoniaStorageSQLite

/// Schedules pass straight through: no fault is injected into them.
extension FaultInjectingStore {
    func createSchedule(_ schedule: Schedule) async throws { try await base.createSchedule(schedule) }
    func updateSchedule(_ schedule: Schedule) async throws { try await base.updateSchedule(schedule) }
    func schedule(id: String) async throws -> Schedule? { try await base.schedule(id: id) }
    func listSchedules(limit: Int, offset: Int) async throws -> [Schedule] {
        try await base.listSchedules(limit: limit, offset: offset)
    }
    func deleteSchedule(id: String) async throws -> Bool { try await base.deleteSchedule(id: id) }
    func recordScheduleRun(_ run: ScheduleRun, nextDueAt: Date?) async throws {
        try await base.recordScheduleRun(run, nextDueAt: nextDueAt)
    }
    func scheduleRuns(scheduleID: String, limit: Int) async throws -> [ScheduleRun] {
        try await base.scheduleRuns(scheduleID: scheduleID, limit: limit)
    }
}

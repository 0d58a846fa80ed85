import HarmoniaAPIModels
import HarmoniaCore
import NIOHTTP1

extension HarmoniaClient {
    /// `POST /schedules`: `schedule` is the request body (`workflow_id`, `cron` + `timezone`
    /// or `interval`, `input`, `metadata`, `missed_runs`, `overlap`, optional `id`, `name`).
    public func createSchedule(_ schedule: JSONValue) async throws -> ScheduleView {
        try await send(ScheduleView.self, .POST, Self.apiPath("schedules"), body: schedule)
    }

    /// `GET /schedules`: oldest first, each with its next runs and latest run record.
    public func listSchedules(limit: Int? = nil, offset: Int? = nil) async throws -> ScheduleList {
        try await send(
            ScheduleList.self, .GET, Self.apiPath("schedules"),
            query: [("limit", limit.map(String.init)), ("offset", offset.map(String.init))])
    }

    /// `GET /schedules/{id}`: with the next five due times and the latest run records.
    public func getSchedule(id: String) async throws -> ScheduleView {
        try await send(ScheduleView.self, .GET, Self.apiPath("schedules", id))
    }

    /// `PATCH /schedules/{id}`: changes the fields `changes` gives.
    public func updateSchedule(id: String, _ changes: JSONValue) async throws -> ScheduleView {
        try await send(ScheduleView.self, .PATCH, Self.apiPath("schedules", id), body: changes)
    }

    /// `POST /schedules/{id}/pause`.
    public func pauseSchedule(id: String) async throws -> ScheduleView {
        try await send(ScheduleView.self, .POST, Self.apiPath("schedules", id, "pause"), body: .emptyObject)
    }

    /// `POST /schedules/{id}/resume`: due again from now; nothing is caught up.
    public func resumeSchedule(id: String) async throws -> ScheduleView {
        try await send(ScheduleView.self, .POST, Self.apiPath("schedules", id, "resume"), body: .emptyObject)
    }

    /// `DELETE /schedules/{id}`: the executions it started stay.
    public func deleteSchedule(id: String) async throws -> ScheduleDeleted {
        try await send(ScheduleDeleted.self, .DELETE, Self.apiPath("schedules", id))
    }

    /// `GET /schedules/{id}/runs`: run records, newest first.
    public func scheduleRuns(id: String, limit: Int? = nil) async throws -> ScheduleRunList {
        try await send(
            ScheduleRunList.self, .GET, Self.apiPath("schedules", id, "runs"), query: [("limit", limit.map(String.init))])
    }
}

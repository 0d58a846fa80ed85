import HarmoniaCore

/// `GET /schedules/{id}/runs`: a schedule's run records, newest due time first.
public struct ScheduleRunList: Codable, Sendable, Hashable {
    public var scheduleID: String
    public var runs: [ScheduleRun]
    public var count: Int

    public init(scheduleID: String, runs: [ScheduleRun]) {
        self.scheduleID = scheduleID
        self.runs = runs
        self.count = runs.count
    }

    enum CodingKeys: String, CodingKey {
        case scheduleID = "schedule_id"
        case runs, count
    }
}

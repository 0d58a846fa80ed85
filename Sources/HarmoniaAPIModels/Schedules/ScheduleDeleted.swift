/// The data of `DELETE /schedules/{id}`: the schedule and its run records are gone; the
/// executions it started stay.
public struct ScheduleDeleted: Codable, Sendable, Hashable {
    public var scheduleID: String
    public var deleted: Bool

    public init(scheduleID: String, deleted: Bool = true) {
        self.scheduleID = scheduleID
        self.deleted = deleted
    }

    enum CodingKeys: String, CodingKey {
        case scheduleID = "schedule_id"
        case deleted
    }
}

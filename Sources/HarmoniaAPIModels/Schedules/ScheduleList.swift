/// A page of `GET /schedules`, oldest first.
public struct ScheduleList: Codable, Sendable, Hashable {
    public var schedules: [ScheduleView]
    /// Number of schedules in this page.
    public var count: Int
    public var limit: Int
    public var offset: Int

    public init(schedules: [ScheduleView], limit: Int, offset: Int) {
        self.schedules = schedules
        self.count = schedules.count
        self.limit = limit
        self.offset = offset
    }
}

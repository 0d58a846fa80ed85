import HarmoniaCore

/// The data of `GET /executions/{id}/tasks/{task}/instances`: one page of a map task's
/// instances in item order, with the counts of all of them.
public struct TaskInstancePage: Codable, Sendable, Hashable {
    public var executionID: String
    public var taskID: String
    /// Counts over every instance (not only this page); `total` is 0 before the map starts.
    public var counts: TaskInstanceCounts
    public var offset: Int
    public var limit: Int
    public var instances: [TaskInstanceState]

    public init(
        executionID: String, taskID: String, counts: TaskInstanceCounts, offset: Int, limit: Int, instances: [TaskInstanceState]
    ) {
        self.executionID = executionID
        self.taskID = taskID
        self.counts = counts
        self.offset = offset
        self.limit = limit
        self.instances = instances
    }

    enum CodingKeys: String, CodingKey {
        case executionID = "execution_id"
        case taskID = "task_id"
        case counts, offset, limit, instances
    }
}

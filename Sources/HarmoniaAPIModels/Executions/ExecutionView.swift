import HarmoniaCore

/// One execution as the API returns it: the record's fields in snake_case, `execution_id`
/// (equal to `id`), and, in detailed views, `tasks` keyed by task id.
///
/// List responses leave `tasks` out to stay small; single-execution responses include it.
public struct ExecutionView: Codable, Sendable, Hashable {
    public var record: ExecutionRecord
    /// Per-task state (status, attempt, retries, input, output, error, times); nil in lists.
    public var tasks: [String: TaskState]?
    /// Task id → the child execution its current attempt runs (`harmonia.run_workflow`),
    /// written as the task's `child_execution_id`.
    public var childExecutionIDs: [String: String] = [:]
    /// Instance counts of map tasks that started, by task id; shown as each such task's
    /// `instances` member.
    public var instances: [String: TaskInstanceCounts] = [:]

    public init(record: ExecutionRecord, tasks: [String: TaskState]? = nil) {
        self.record = record
        self.tasks = tasks
    }

    /// The detailed view of `state`, tasks included.
    public init(_ state: ExecutionState) {
        self.init(record: state.record, tasks: state.tasks)
        self.instances = state.instances.mapValues(TaskInstanceCounts.init)
    }

    public var id: String { record.id }
    public var executionID: String { record.id }
    public var status: WorkflowStatus { record.status }

    private enum ExtraKeys: String, CodingKey {
        case executionID = "execution_id"
        case tasks
    }

    public init(from decoder: any Decoder) throws {
        self.record = try ExecutionRecord(from: decoder)
        let extra = try decoder.container(keyedBy: ExtraKeys.self)
        self.tasks = try extra.decodeIfPresent([String: TaskState].self, forKey: .tasks)
        let entries = try extra.decodeIfPresent([String: TaskEntry].self, forKey: .tasks) ?? [:]
        self.instances = entries.compactMapValues(\.instances)
        self.childExecutionIDs = entries.compactMapValues(\.childExecutionID)
    }

    /// Encodes the record's own keys, then `execution_id` and `tasks` into the same object.
    public func encode(to encoder: any Encoder) throws {
        try record.encode(to: encoder)
        var extra = encoder.container(keyedBy: ExtraKeys.self)
        try extra.encode(record.id, forKey: .executionID)
        try extra.encodeIfPresent(
            tasks?.mapValues {
                TaskEntry(task: $0, instances: instances[$0.taskID], childExecutionID: childExecutionIDs[$0.taskID])
            }, forKey: .tasks)
    }
}

/// A task entry: the task's own keys, plus `instances` counts for a map task and
/// `child_execution_id` for a `harmonia.run_workflow` task.
private struct TaskEntry: Codable {
    var task: TaskState?
    var instances: TaskInstanceCounts?
    var childExecutionID: String?

    private enum Keys: String, CodingKey {
        case instances
        case childExecutionID = "child_execution_id"
    }

    init(task: TaskState, instances: TaskInstanceCounts?, childExecutionID: String?) {
        self.task = task
        self.instances = instances
        self.childExecutionID = childExecutionID
    }

    init(from decoder: any Decoder) throws {
        task = nil
        let container = try decoder.container(keyedBy: Keys.self)
        instances = try container.decodeIfPresent(TaskInstanceCounts.self, forKey: .instances)
        childExecutionID = try container.decodeIfPresent(String.self, forKey: .childExecutionID)
    }

    func encode(to encoder: any Encoder) throws {
        try task?.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encodeIfPresent(instances, forKey: .instances)
        try container.encodeIfPresent(childExecutionID, forKey: .childExecutionID)
    }
}

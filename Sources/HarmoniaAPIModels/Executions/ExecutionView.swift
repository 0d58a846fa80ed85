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

    public init(record: ExecutionRecord, tasks: [String: TaskState]? = nil) {
        self.record = record
        self.tasks = tasks
    }

    /// The detailed view of `state`, tasks included.
    public init(_ state: ExecutionState) {
        self.init(record: state.record, tasks: state.tasks)
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
    }

    /// Encodes the record's own keys, then `execution_id` and `tasks` into the same object.
    public func encode(to encoder: any Encoder) throws {
        try record.encode(to: encoder)
        var extra = encoder.container(keyedBy: ExtraKeys.self)
        try extra.encode(record.id, forKey: .executionID)
        guard let tasks, !childExecutionIDs.isEmpty else {
            try extra.encodeIfPresent(tasks, forKey: .tasks)
            return
        }
        var byID = extra.nestedContainer(keyedBy: TaskKey.self, forKey: .tasks)
        for (id, task) in tasks {
            let encoder = byID.superEncoder(forKey: TaskKey(stringValue: id))
            try task.encode(to: encoder)
            if let child = childExecutionIDs[id] {
                var container = encoder.container(keyedBy: ChildKey.self)
                try container.encode(child, forKey: .childExecutionID)
            }
        }
    }

    private struct TaskKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private enum ChildKey: String, CodingKey {
        case childExecutionID = "child_execution_id"
    }
}

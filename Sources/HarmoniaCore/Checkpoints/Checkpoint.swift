import Foundation

/// A snapshot of one execution at a position in its log.
///
/// Restoring a checkpoint starts a new execution of the same workflow version that keeps
/// the completed tasks' outputs and runs only what is left. Checkpoints are written in the
/// same transaction as their `checkpoint_created` event, so the snapshot and the log agree.
public struct Checkpoint: Sendable, Hashable, Codable {
    /// UUID string.
    public var id: String
    public var executionID: String
    /// The `seq` of the `checkpoint_created` event; the snapshot reflects every event before it.
    public var seq: Int64
    /// Why it was taken: `manual`, `pause`, `cancel` or `interval`.
    public var reason: String
    public var createdAt: Date
    /// The execution row at the checkpoint.
    public var record: ExecutionRecord
    /// Every task's state at the checkpoint.
    public var tasks: [TaskState]
    /// The completed instances of map tasks that had not completed: a restore keeps their
    /// outputs and runs only the other instances.
    public var instances: [TaskInstanceState] = []

    public init(
        id: String = UUID().uuidString.lowercased(), executionID: String, seq: Int64, reason: String, createdAt: Date,
        record: ExecutionRecord, tasks: [TaskState], instances: [TaskInstanceState] = []
    ) {
        self.instances = instances
        self.id = id
        self.executionID = executionID
        self.seq = seq
        self.reason = reason
        self.createdAt = createdAt
        self.record = record
        self.tasks = tasks
    }

    enum CodingKeys: String, CodingKey {
        case id
        case executionID = "execution_id"
        case seq, reason
        case createdAt = "created_at"
        case record = "execution"
        case tasks, instances
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        executionID = try container.decode(String.self, forKey: .executionID)
        seq = try container.decode(Int64.self, forKey: .seq)
        reason = try container.decode(String.self, forKey: .reason)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        record = try container.decode(ExecutionRecord.self, forKey: .record)
        tasks = try container.decode([TaskState].self, forKey: .tasks)
        // Snapshots stored before map tasks existed have no instances.
        instances = try container.decodeIfPresent([TaskInstanceState].self, forKey: .instances) ?? []
    }

    /// The tasks a restore keeps: completed ones, with their outputs. Everything else runs
    /// again (failed, skipped, canceled, and whatever had not finished).
    public var completedTasks: [TaskState] {
        tasks.filter { $0.status == .completed }
    }
}

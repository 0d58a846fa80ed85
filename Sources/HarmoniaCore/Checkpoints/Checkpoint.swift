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

    public init(
        id: String = UUID().uuidString.lowercased(), executionID: String, seq: Int64, reason: String, createdAt: Date,
        record: ExecutionRecord, tasks: [TaskState]
    ) {
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
        case tasks
    }

    /// The tasks a restore keeps: completed ones, with their outputs. Everything else runs
    /// again (failed, skipped, canceled, and whatever had not finished).
    public var completedTasks: [TaskState] {
        tasks.filter { $0.status == .completed }
    }
}

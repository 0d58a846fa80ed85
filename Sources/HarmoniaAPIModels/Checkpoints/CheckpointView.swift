import HarmoniaCore

/// One checkpoint with its snapshot, as `POST /executions/{id}/checkpoint` and
/// `GET /checkpoints/{id}` return it: the summary fields plus `execution` (the execution row
/// at the checkpoint) and `tasks` (every task's state then).
public struct CheckpointView: Codable, Sendable, Hashable {
    public var checkpoint: Checkpoint

    public init(_ checkpoint: Checkpoint) {
        self.checkpoint = checkpoint
    }

    public var checkpointID: String { checkpoint.id }
    public var summary: CheckpointSummary { CheckpointSummary(checkpoint) }

    private enum ExtraKeys: String, CodingKey {
        case checkpointID = "checkpoint_id"
        case status
        case completedTasks = "completed_tasks"
    }

    public init(from decoder: any Decoder) throws {
        self.checkpoint = try Checkpoint(from: decoder)
    }

    /// The checkpoint's own keys, then the summary's extra ones into the same object.
    public func encode(to encoder: any Encoder) throws {
        try checkpoint.encode(to: encoder)
        var extra = encoder.container(keyedBy: ExtraKeys.self)
        try extra.encode(checkpoint.id, forKey: .checkpointID)
        try extra.encode(checkpoint.record.status, forKey: .status)
        try extra.encode(checkpoint.completedTasks.map(\.taskID).sorted(), forKey: .completedTasks)
    }
}

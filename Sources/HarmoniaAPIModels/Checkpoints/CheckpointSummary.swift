import Foundation
import HarmoniaCore

/// One checkpoint without its snapshot, for lists: where it sits in the log, why it was
/// taken, the execution's status then, and the tasks a restore would keep.
public struct CheckpointSummary: Codable, Sendable, Hashable {
    public var id: String
    /// Same as `id`, under the name `POST /executions/{id}/checkpoint` promises.
    public var checkpointID: String
    public var executionID: String
    /// The `seq` of its `checkpoint_created` event.
    public var seq: Int64
    /// `manual`, `pause`, `cancel`, `interval`, or a reason a client gave.
    public var reason: String
    public var createdAt: Date
    /// The execution's status when the checkpoint was taken.
    public var status: WorkflowStatus
    /// Completed tasks, which a restore keeps, in task-id order.
    public var completedTasks: [String]

    public init(_ checkpoint: Checkpoint) {
        self.id = checkpoint.id
        self.checkpointID = checkpoint.id
        self.executionID = checkpoint.executionID
        self.seq = checkpoint.seq
        self.reason = checkpoint.reason
        self.createdAt = checkpoint.createdAt
        self.status = checkpoint.record.status
        self.completedTasks = checkpoint.completedTasks.map(\.taskID).sorted()
    }

    enum CodingKeys: String, CodingKey {
        case id
        case checkpointID = "checkpoint_id"
        case executionID = "execution_id"
        case seq, reason
        case createdAt = "created_at"
        case status
        case completedTasks = "completed_tasks"
    }
}

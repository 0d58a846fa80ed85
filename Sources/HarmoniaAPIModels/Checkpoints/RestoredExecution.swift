import HarmoniaCore

/// The data of `POST /checkpoints/{id}/restore`: the new execution and where it came from.
///
/// `restored_from` and `original_execution_id` both name the execution the checkpoint was
/// taken of (the first is the execution row's field, the second the name Tekton clients use).
public struct RestoredExecution: Codable, Sendable, Hashable {
    public var id: String
    public var executionID: String
    public var restoredFrom: String
    public var originalExecutionID: String
    public var checkpointID: String
    public var status: WorkflowStatus
    /// Tasks carried over as completed, which do not run again.
    public var keptTasks: [String]
    public var execution: ExecutionView

    public init(_ state: ExecutionState, checkpoint: Checkpoint) {
        self.id = state.id
        self.executionID = state.id
        self.restoredFrom = state.record.restoredFrom ?? checkpoint.executionID
        self.originalExecutionID = checkpoint.executionID
        self.checkpointID = checkpoint.id
        self.status = state.record.status
        self.keptTasks = checkpoint.completedTasks.map(\.taskID).sorted()
        self.execution = ExecutionView(state)
    }

    enum CodingKeys: String, CodingKey {
        case id
        case executionID = "execution_id"
        case restoredFrom = "restored_from"
        case originalExecutionID = "original_execution_id"
        case checkpointID = "checkpoint_id"
        case status
        case keptTasks = "kept_tasks"
        case execution
    }
}

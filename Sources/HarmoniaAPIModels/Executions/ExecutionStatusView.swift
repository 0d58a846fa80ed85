import HarmoniaCore

/// The data of execution creation and of cancel, pause and resume: the id under both names,
/// the status, and the execution with its tasks.
///
/// Older Tekton clients read `id` or `execution_id` and `status` at the top level; newer
/// ones read `execution`.
public struct ExecutionStatusView: Codable, Sendable, Hashable {
    public var id: String
    public var executionID: String
    public var status: WorkflowStatus
    public var execution: ExecutionView

    public init(_ execution: ExecutionView) {
        self.id = execution.id
        self.executionID = execution.id
        self.status = execution.status
        self.execution = execution
    }

    public init(_ state: ExecutionState) {
        self.init(ExecutionView(state))
    }

    enum CodingKeys: String, CodingKey {
        case id
        case executionID = "execution_id"
        case status, execution
    }
}

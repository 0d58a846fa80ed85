import HarmoniaCore

/// The data of execution creation and of cancel, pause and resume: the id under both names,
/// the status, and the execution's row (as in lists: without per-task states).
///
/// Older Tekton clients read `id` or `execution_id` and `status` at the top level; newer
/// ones read `execution`. Per-task states are left to `GET /executions/{id}`: these are
/// acknowledgements, and their size (and the time to encode them) must not grow with the
/// workflow. A start of a 10,000-task workflow used to answer with 726 KB of `pending`
/// task states, taking a quarter of a second of the same two cores the execution runs on.
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

    /// The acknowledgement for `state`: its row, without per-task states.
    public init(_ state: ExecutionState) {
        self.init(ExecutionView(record: state.record))
    }

    enum CodingKeys: String, CodingKey {
        case id
        case executionID = "execution_id"
        case status, execution
    }
}

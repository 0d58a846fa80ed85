/// The data of `DELETE /workflows/{id}`.
///
/// Deleting hides the workflow from lists and lookups; its versions stay readable by the
/// executions that ran them.
public struct WorkflowDeleted: Codable, Sendable, Hashable {
    public var workflowID: String
    public var deleted: Bool

    public init(workflowID: String, deleted: Bool = true) {
        self.workflowID = workflowID
        self.deleted = deleted
    }

    enum CodingKeys: String, CodingKey {
        case workflowID = "workflow_id"
        case deleted
    }
}

import Foundation

/// Which execution rows `Store.listExecutions` returns: filters, then a page of the rows
/// newest first.
public struct ExecutionQuery: Sendable, Hashable {
    public var status: WorkflowStatus?
    public var workflowID: String?
    /// Only executions created at or after this instant.
    public var createdAfter: Date?
    /// Only executions created before this instant.
    public var createdBefore: Date?
    /// Only the children (`harmonia.run_workflow`) of this execution.
    public var parentExecutionID: String?
    public var limit: Int
    public var offset: Int

    public init(
        status: WorkflowStatus? = nil, workflowID: String? = nil, createdAfter: Date? = nil, createdBefore: Date? = nil,
        limit: Int, offset: Int = 0
    ) {
        self.status = status
        self.workflowID = workflowID
        self.createdAfter = createdAfter
        self.createdBefore = createdBefore
        self.limit = limit
        self.offset = offset
    }
}

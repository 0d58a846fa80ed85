import Foundation

/// The execution-level row of one workflow run: everything but the per-task state.
public struct ExecutionRecord: Sendable, Hashable, Codable {
    /// UUID string.
    public var id: String
    public var workflowID: String
    /// The definition version this execution runs; it never changes after creation.
    public var workflowVersion: Int
    public var workflowName: String
    public var status: WorkflowStatus
    public var input: JSONValue
    public var metadata: [String: JSONValue]
    /// Present when a client asked for idempotent creation.
    public var idempotencyKey: String?
    /// Why the execution failed or was canceled.
    public var error: TaskFailure?
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    public var updatedAt: Date
    /// Due time of the workflow timeout, stored so a restart honours it.
    public var deadline: Date?
    /// Sequence number of the newest event in this execution's log (0 before any).
    public var lastSeq: Int64
    /// The execution (and checkpoint) this one was restored from, if any.
    public var restoredFrom: String?
    /// The execution and task that started this one (`harmonia.run_workflow`), if any.
    public var parent: ExecutionParent?

    public init(
        id: String = UUID().uuidString.lowercased(), workflowID: String, workflowVersion: Int,
        workflowName: String, status: WorkflowStatus = .pending, input: JSONValue = .emptyObject,
        metadata: [String: JSONValue] = [:], idempotencyKey: String? = nil, error: TaskFailure? = nil,
        createdAt: Date = Date(), startedAt: Date? = nil, finishedAt: Date? = nil,
        updatedAt: Date = Date(), deadline: Date? = nil, lastSeq: Int64 = 0, restoredFrom: String? = nil,
        parent: ExecutionParent? = nil
    ) {
        self.parent = parent
        self.id = id
        self.workflowID = workflowID
        self.workflowVersion = workflowVersion
        self.workflowName = workflowName
        self.status = status
        self.input = input
        self.metadata = metadata
        self.idempotencyKey = idempotencyKey
        self.error = error
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.updatedAt = updatedAt
        self.deadline = deadline
        self.lastSeq = lastSeq
        self.restoredFrom = restoredFrom
    }

    enum CodingKeys: String, CodingKey {
        case id
        case workflowID = "workflow_id"
        case workflowVersion = "workflow_version"
        case workflowName = "workflow_name"
        case status, input, metadata
        case idempotencyKey = "idempotency_key"
        case error
        case createdAt = "created_at"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
        case updatedAt = "updated_at"
        case deadline
        case lastSeq = "last_seq"
        case restoredFrom = "restored_from"
        case parent
    }
}

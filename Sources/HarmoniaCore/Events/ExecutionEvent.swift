import Foundation

/// One entry of an execution's log. The log is the truth: recovery, the REST view and the
/// live streams all read it.
public struct ExecutionEvent: Sendable, Hashable, Codable {
    public var executionID: String
    /// 1, 2, 3, ... without gaps within one execution.
    public var seq: Int64
    public var type: EventType
    public var taskID: String?
    public var details: JSONValue
    public var message: String
    public var timestamp: Date

    public init(
        executionID: String, seq: Int64, type: EventType, taskID: String? = nil,
        details: JSONValue = .emptyObject, message: String, timestamp: Date
    ) {
        self.executionID = executionID
        self.seq = seq
        self.type = type
        self.taskID = taskID
        self.details = details
        self.message = message
        self.timestamp = timestamp
    }

    enum CodingKeys: String, CodingKey {
        case executionID = "execution_id"
        case seq
        case type = "event_type"
        case taskID = "task_id"
        case details, message, timestamp
    }

    /// Written out in full, `task_id` as `null` for workflow-level events, so the REST log
    /// and the live streams (which always carry the key) give a client the same object.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(executionID, forKey: .executionID)
        try container.encode(seq, forKey: .seq)
        try container.encode(type, forKey: .type)
        try container.encode(taskID, forKey: .taskID)
        try container.encode(details, forKey: .details)
        try container.encode(message, forKey: .message)
        try container.encode(timestamp, forKey: .timestamp)
    }
}

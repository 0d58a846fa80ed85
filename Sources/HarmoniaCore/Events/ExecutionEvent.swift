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
}

import Foundation
import HarmoniaAPIModels
import HarmoniaCore

/// The JSON bodies of stream frames, identical for WebSocket and SSE (http-api.md).
///
/// Built as `JSONValue` and written by Harmonia's own JSON writer (sorted keys, compact):
/// with a thousand subscribers every event is serialized a thousand times, and this is
/// several times cheaper than `JSONEncoder`.
enum StreamFrames {
    /// `{"event_type", "execution_id", "task_id", "details", "message", "timestamp", "seq"}`;
    /// `task_id` is null for workflow-level events.
    static func event(_ event: ExecutionEvent) -> String {
        let object: JSONValue = .object([
            "event_type": .string(event.type.rawValue),
            "execution_id": .string(event.executionID),
            "task_id": event.taskID.map(JSONValue.string) ?? .null,
            "details": event.details,
            "message": .string(event.message),
            "timestamp": .string(APICoding.formatTimestamp(event.timestamp)),
            "seq": .integer(Int(event.seq)),
        ])
        return object.jsonString()
    }

    /// The greeting: `{"type": "connected", "message", "client_id", "timestamp", "execution_id"}`.
    static func connected(clientID: String, executionID: String?, afterSeq: Int64?) -> String {
        var object: [String: JSONValue] = [
            "type": "connected",
            "message": .string(
                executionID.map { "subscribed to execution \($0)" } ?? "subscribed to all executions"),
            "client_id": .string(clientID),
            "timestamp": now(),
            "execution_id": executionID.map(JSONValue.string) ?? .null,
        ]
        if let afterSeq { object["after_seq"] = .integer(Int(afterSeq)) }
        return JSONValue.object(object).jsonString()
    }

    /// `{"execution_id", "status", "tasks": {id: status}}`: where the execution stands now.
    static func state(_ state: ExecutionState) -> String {
        let tasks = state.tasks.mapValues { JSONValue.string($0.status.rawValue) }
        let object: JSONValue = .object([
            "execution_id": .string(state.id),
            "workflow_id": .string(state.record.workflowID),
            "status": .string(state.status.rawValue),
            "tasks": .object(tasks),
        ])
        return object.jsonString()
    }

    static func pong() -> String {
        JSONValue.object(["type": "pong", "timestamp": now()]).jsonString()
    }

    static func unsubscribed(executionID: String?) -> String {
        JSONValue.object([
            "type": "unsubscribed",
            "message": .string(executionID.map { "unsubscribed from execution \($0)" } ?? "unsubscribed"),
            "timestamp": now(),
        ]).jsonString()
    }

    /// `{"type": "error", "code", "detail", "timestamp"}`, plus `last_seq` where resuming
    /// makes sense.
    static func error(code: String, detail: String, lastSeq: Int64? = nil) -> String {
        var object: [String: JSONValue] = [
            "type": "error", "code": .string(code), "detail": .string(detail), "timestamp": now(),
        ]
        if let lastSeq { object["last_seq"] = .integer(Int(lastSeq)) }
        return JSONValue.object(object).jsonString()
    }

    /// The reason a lagging connection is closed.
    static func laggedDetail(lastSeq: Int64?) -> String {
        let resume = lastSeq.map { "resume with after_seq=\($0)" } ?? "reconnect to resume"
        return "this connection fell more than its buffer behind the live events and is closed; \(resume)"
    }

    private static func now() -> JSONValue {
        .string(APICoding.formatTimestamp(Date()))
    }
}

/// Error codes of stream frames and close reasons.
enum StreamErrorCode {
    static let lagged = "subscriber_lagged"
    static let invalidFrame = "invalid_frame"
    static let notFound = "not_found"
}

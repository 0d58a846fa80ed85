import HarmoniaCore

/// A response body that can build its JSON value directly instead of going through
/// `JSONEncoder`.
///
/// Only for the hottest answer: the acknowledgement of a start (and of cancel, pause and
/// resume), sent hundreds of times a second. Foundation's encoder walks keyed containers,
/// boxes every value and sorts keys through generic code; on two cores that was a measurable
/// part of an acknowledgement (docs/benchmarks.md). `DirectJSONTests` checks that the value
/// equals what `APICoding.encoder` writes, for every field, so the two cannot drift apart.
public protocol DirectJSON {
    /// The body as a JSON value, or nil when this instance should go through the encoder.
    var directJSON: JSONValue? { get }
}

extension APISuccess: DirectJSON where Payload: DirectJSON {
    public var directJSON: JSONValue? {
        guard let data = data.directJSON else { return nil }
        return ["status": .string(status), "message": .string(message), "data": data]
    }
}

extension ExecutionStatusView: DirectJSON {
    public var directJSON: JSONValue? {
        guard let execution = execution.directJSON else { return nil }
        return [
            "id": .string(id), "execution_id": .string(executionID), "status": .string(status.rawValue),
            "execution": execution,
        ]
    }
}

extension ExecutionView: DirectJSON {
    /// The row without tasks; with tasks (a detailed view) the encoder writes it.
    public var directJSON: JSONValue? {
        guard tasks == nil else { return nil }
        var object = record.directObject
        object["execution_id"] = .string(record.id)
        return .object(object)
    }
}

extension ExecutionRecord {
    /// The keys the synthesized `Encodable` writes; optionals only when present.
    var directObject: [String: JSONValue] {
        var object: [String: JSONValue] = [
            "id": .string(id), "workflow_id": .string(workflowID), "workflow_version": .integer(workflowVersion),
            "workflow_name": .string(workflowName), "status": .string(status.rawValue), "input": input,
            "metadata": .object(metadata), "created_at": .string(APICoding.formatTimestamp(createdAt)),
            "updated_at": .string(APICoding.formatTimestamp(updatedAt)), "last_seq": .integer(Int(lastSeq)),
        ]
        if let idempotencyKey { object["idempotency_key"] = .string(idempotencyKey) }
        if let error {
            var failure: [String: JSONValue] = [
                "code": .string(error.code), "message": .string(error.message), "retryable": .bool(error.retryable),
            ]
            if let details = error.details { failure["details"] = details }
            object["error"] = .object(failure)
        }
        if let startedAt { object["started_at"] = .string(APICoding.formatTimestamp(startedAt)) }
        if let finishedAt { object["finished_at"] = .string(APICoding.formatTimestamp(finishedAt)) }
        if let deadline { object["deadline"] = .string(APICoding.formatTimestamp(deadline)) }
        if let restoredFrom { object["restored_from"] = .string(restoredFrom) }
        if let parent {
            object["parent"] = [
                "execution_id": .string(parent.executionID), "task_id": .string(parent.taskID), "depth": .integer(parent.depth),
            ]
        }
        return object
    }
}

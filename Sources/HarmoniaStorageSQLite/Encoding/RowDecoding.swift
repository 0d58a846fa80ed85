import GRDB
import HarmoniaCore

/// Column lists and the matching row decoders, read by index.
///
/// Hand-written rather than GRDB's `FetchableRecord` so reads skip the Codable machinery and
/// JSON columns go through Harmonia's own parser. Throwing `decode` rather than subscripts,
/// so a damaged row is a `storage_failure`, never a crash. Each `columns` string and its
/// decoder must list the same columns in the same order.
enum RowDecoding {
    static let executionColumns = """
        id, workflow_id, workflow_version, workflow_name, status, input, metadata, \
        idempotency_key, error, created_at, started_at, finished_at, updated_at, deadline, \
        last_seq, restored_from, parent_execution_id, parent_task_id, parent_depth
        """

    static func executionRecord(_ row: Row) throws -> ExecutionRecord {
        let id: String = try row.decode(atIndex: 0)
        let statusText: String = try row.decode(atIndex: 4)
        guard let status = WorkflowStatus(rawValue: statusText) else {
            throw HarmoniaError(.storageFailure, "execution \(id) has unknown status '\(statusText)'")
        }
        return ExecutionRecord(
            id: id,
            workflowID: try row.decode(atIndex: 1),
            workflowVersion: try row.decode(atIndex: 2),
            workflowName: try row.decode(atIndex: 3),
            status: status,
            input: try StoredJSON.value(row.decode(String.self, atIndex: 5), column: "executions.input"),
            metadata: try StoredJSON.object(row.decode(String.self, atIndex: 6), column: "executions.metadata"),
            idempotencyKey: try row.decode(atIndex: 7),
            error: try StoredJSON.failure(row.decode(String?.self, atIndex: 8), column: "executions.error"),
            createdAt: try StoredDate.date(row.decode(Int64.self, atIndex: 9)),
            startedAt: try StoredDate.date(row.decode(Int64?.self, atIndex: 10)),
            finishedAt: try StoredDate.date(row.decode(Int64?.self, atIndex: 11)),
            updatedAt: try StoredDate.date(row.decode(Int64.self, atIndex: 12)),
            deadline: try StoredDate.date(row.decode(Int64?.self, atIndex: 13)),
            lastSeq: try row.decode(atIndex: 14),
            restoredFrom: try row.decode(atIndex: 15),
            parent: try parent(row)
        )
    }

    /// The parent link (columns 16–18), nil for a top-level execution.
    private static func parent(_ row: Row) throws -> ExecutionParent? {
        guard let executionID = try row.decode(String?.self, atIndex: 16) else { return nil }
        return ExecutionParent(
            executionID: executionID, taskID: try row.decode(String?.self, atIndex: 17) ?? "",
            depth: try row.decode(Int?.self, atIndex: 18) ?? 1)
    }

    static let signalColumns = "id, execution_id, name, payload, received_at, consumed_by, consumed_attempt, consumed_at"

    static func signal(_ row: Row) throws -> ExecutionSignal {
        ExecutionSignal(
            id: try row.decode(atIndex: 0),
            executionID: try row.decode(atIndex: 1),
            name: try row.decode(atIndex: 2),
            payload: try StoredJSON.value(row.decode(String.self, atIndex: 3), column: "signals.payload"),
            receivedAt: try StoredDate.date(row.decode(Int64.self, atIndex: 4)),
            consumedBy: try row.decode(atIndex: 5),
            consumedAttempt: try row.decode(atIndex: 6),
            consumedAt: try StoredDate.date(row.decode(Int64?.self, atIndex: 7)))
    }

    /// Task columns, preceded by the execution id so rows of many executions can be grouped.
    static let taskColumns = """
        execution_id, task_id, status, attempt, retries, input, output, error, reason, \
        started_at, finished_at, next_attempt_at, timeout_at
        """

    static func taskState(_ row: Row) throws -> TaskState {
        let taskID: String = try row.decode(atIndex: 1)
        let statusText: String = try row.decode(atIndex: 2)
        guard let status = TaskStatus(rawValue: statusText) else {
            throw HarmoniaError(.storageFailure, "task \(taskID) has unknown status '\(statusText)'")
        }
        return TaskState(
            taskID: taskID,
            status: status,
            attempt: try row.decode(atIndex: 3),
            retries: try row.decode(atIndex: 4),
            input: try StoredJSON.optionalValue(row.decode(String?.self, atIndex: 5), column: "task_runs.input"),
            output: try StoredJSON.optionalValue(row.decode(String?.self, atIndex: 6), column: "task_runs.output"),
            error: try StoredJSON.failure(row.decode(String?.self, atIndex: 7), column: "task_runs.error"),
            reason: try row.decode(atIndex: 8),
            startedAt: try StoredDate.date(row.decode(Int64?.self, atIndex: 9)),
            finishedAt: try StoredDate.date(row.decode(Int64?.self, atIndex: 10)),
            nextAttemptAt: try StoredDate.date(row.decode(Int64?.self, atIndex: 11)),
            timeoutAt: try StoredDate.date(row.decode(Int64?.self, atIndex: 12))
        )
    }

    static let eventColumns = "execution_id, seq, event_type, task_id, details, message, timestamp"

    static func event(_ row: Row) throws -> ExecutionEvent {
        let typeText: String = try row.decode(atIndex: 2)
        guard let type = EventType(rawValue: typeText) else {
            throw HarmoniaError(.storageFailure, "event has unknown type '\(typeText)'")
        }
        return ExecutionEvent(
            executionID: try row.decode(atIndex: 0),
            seq: try row.decode(atIndex: 1),
            type: type,
            taskID: try row.decode(atIndex: 3),
            details: try StoredJSON.value(row.decode(String.self, atIndex: 4), column: "events.details"),
            message: try row.decode(atIndex: 5),
            timestamp: try StoredDate.date(row.decode(Int64.self, atIndex: 6))
        )
    }
}

import Foundation
import GRDB
import HarmoniaCore

/// Instances of map tasks (`task_instances`, migration "v7"): written with the rest of a
/// change in the group commit, read with their execution.
extension SQLiteStore {
    /// Upserts the instance rows of one change through the chunked statements.
    static func upsertInstances(_ rows: [[SQLValue]], _ db: Database) throws {
        guard !rows.isEmpty else { return }
        let single = try FastStatement(db, sql: InstanceSQL.upsert)
        let chunk = try FastStatement(db, sql: InstanceSQL.upsertChunk)
        defer {
            single.clearBindings()
            chunk.clearBindings()
        }
        var start = rows.startIndex
        while rows.endIndex - start >= InstanceSQL.chunkRows {
            try chunk.execute(rows: rows[start..<start + InstanceSQL.chunkRows])
            start += InstanceSQL.chunkRows
        }
        for row in rows[start...] { try single.execute(row) }
    }

    /// Statement arguments of one instance row.
    static func encodeInstance(_ instance: TaskInstanceState, executionID: SQLValue) throws -> [SQLValue] {
        [
            executionID, SQLValue(instance.taskID), SQLValue(instance.index), SQLValue(json: instance.item),
            SQLValue(instance.status.rawValue), SQLValue(instance.attempt), SQLValue(instance.retries),
            SQLValue(json: instance.input), SQLValue(json: instance.output), SQLValue(json: instance.error),
            SQLValue(try StoredDate.milliseconds(instance.startedAt)),
            SQLValue(try StoredDate.milliseconds(instance.finishedAt)),
            SQLValue(try StoredDate.milliseconds(instance.nextAttemptAt)),
            SQLValue(try StoredDate.milliseconds(instance.timeoutAt)),
        ]
    }

    /// The instances of the executions matching `executionFilter` (an SQL condition on
    /// `execution_id`), by execution and task, in index order.
    static func instances(
        _ db: Database, executionFilter: String, arguments: StatementArguments = []
    ) throws -> [String: [String: [TaskInstanceState]]] {
        var found: [String: [String: [TaskInstanceState]]] = [:]
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: """
                SELECT \(InstanceSQL.columns) FROM task_instances WHERE \(executionFilter)
                ORDER BY execution_id, task_id, idx
                """),
            arguments: arguments)
        while let row = try rows.next() {
            let instance = try decodeInstance(row)
            found[try row.decode(String.self, atIndex: 0), default: [:]][instance.taskID, default: []].append(instance)
        }
        return found
    }

    static func decodeInstance(_ row: Row) throws -> TaskInstanceState {
        let taskID: String = try row.decode(atIndex: 1)
        let index: Int = try row.decode(atIndex: 2)
        let statusText: String = try row.decode(atIndex: 4)
        guard let status = TaskStatus(rawValue: statusText) else {
            throw HarmoniaError(.storageFailure, "instance \(index) of task \(taskID) has unknown status '\(statusText)'")
        }
        return TaskInstanceState(
            taskID: taskID, index: index,
            item: try StoredJSON.value(row.decode(String.self, atIndex: 3), column: "task_instances.item"),
            status: status, attempt: try row.decode(atIndex: 5), retries: try row.decode(atIndex: 6),
            input: try StoredJSON.optionalValue(row.decode(String?.self, atIndex: 7), column: "task_instances.input"),
            output: try StoredJSON.optionalValue(row.decode(String?.self, atIndex: 8), column: "task_instances.output"),
            error: try StoredJSON.failure(row.decode(String?.self, atIndex: 9), column: "task_instances.error"),
            startedAt: try StoredDate.date(row.decode(Int64?.self, atIndex: 10)),
            finishedAt: try StoredDate.date(row.decode(Int64?.self, atIndex: 11)),
            nextAttemptAt: try StoredDate.date(row.decode(Int64?.self, atIndex: 12)),
            timeoutAt: try StoredDate.date(row.decode(Int64?.self, atIndex: 13)))
    }
}

/// The statements of `task_instances`.
enum InstanceSQL {
    static let columns = """
        execution_id, task_id, idx, item, status, attempt, retries, input, output, error, \
        started_at, finished_at, next_attempt_at, timeout_at
        """

    static let upsert = """
        INSERT INTO task_instances (\(columns))
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (execution_id, task_id, idx) DO UPDATE SET
            item = excluded.item, status = excluded.status, attempt = excluded.attempt,
            retries = excluded.retries, input = excluded.input, output = excluded.output,
            error = excluded.error, started_at = excluded.started_at,
            finished_at = excluded.finished_at, next_attempt_at = excluded.next_attempt_at,
            timeout_at = excluded.timeout_at
        """

    /// Rows per multi-row statement: a map's start writes every instance at once.
    static let chunkRows = 64

    static let upsertChunk = upsert.replacingOccurrences(
        of: "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        with: "VALUES \(CommitSQL.placeholders(rows: chunkRows, columns: 14))")
}

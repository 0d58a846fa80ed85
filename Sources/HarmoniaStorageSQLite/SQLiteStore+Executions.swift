import Foundation
import GRDB
import HarmoniaCore

/// Reads of executions, task runs and event logs. Each runs on a reader connection, on one
/// committed snapshot, so a record and its task rows always belong to the same commit.
extension SQLiteStore {
    public func execution(id: String) async throws -> ExecutionState? {
        try await reading("read execution \(id)") { db in
            try Self.executionState(db, whereClause: "id = ?", arguments: [id])
        }
    }

    public func releaseIdempotencyKey(_ key: String, createdBefore: Date) async throws -> Bool {
        let cutoff: Int64 = try StoredDate.milliseconds(createdBefore)
        return try await writing("release idempotency key") { db in
            try db.execute(
                sql: "UPDATE executions SET idempotency_key = NULL WHERE idempotency_key = ? AND created_at < ?",
                arguments: [key, cutoff])
            return db.changesCount > 0
        }
    }

    public func execution(idempotencyKey: String) async throws -> ExecutionState? {
        try await reading("read execution by idempotency key") { db in
            try Self.executionState(db, whereClause: "idempotency_key = ?", arguments: [idempotencyKey])
        }
    }

    public func listExecutions(_ query: ExecutionQuery) async throws -> [ExecutionRecord] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let status = query.status {
            conditions.append("status = ?")
            arguments += [status.rawValue]
        }
        if let workflowID = query.workflowID {
            conditions.append("workflow_id = ?")
            arguments += [workflowID]
        }
        if let parent = query.parentExecutionID {
            conditions.append("parent_execution_id = ?")
            arguments += [parent]
        }
        if let after = query.createdAfter {
            conditions.append("created_at >= ?")
            let milliseconds: Int64 = try StoredDate.milliseconds(after)
            arguments += [milliseconds]
        }
        if let before = query.createdBefore {
            conditions.append("created_at < ?")
            let milliseconds: Int64 = try StoredDate.milliseconds(before)
            arguments += [milliseconds]
        }
        arguments += [max(0, query.limit), max(0, query.offset)]
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        // id breaks ties between executions created in the same millisecond, so paging is stable.
        let sql = """
            SELECT \(RowDecoding.executionColumns) FROM executions \(whereClause)
            ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?
            """
        return try await reading("list executions") { [arguments] db in
            try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map(RowDecoding.executionRecord)
        }
    }

    public func unfinishedExecutions() async throws -> [ExecutionState] {
        try await reading("read unfinished executions") { db in
            let unfinished = "status IN ('pending', 'running', 'paused')"
            let records = try Row.fetchAll(
                db.cachedStatement(sql: """
                    SELECT \(RowDecoding.executionColumns) FROM executions WHERE \(unfinished)
                    ORDER BY created_at, id
                    """)
            ).map(RowDecoding.executionRecord)
            var tasks: [String: [String: TaskState]] = [:]
            let rows = try Row.fetchCursor(
                db.cachedStatement(sql: """
                    SELECT \(RowDecoding.taskColumns) FROM task_runs
                    WHERE execution_id IN (SELECT id FROM executions WHERE \(unfinished))
                    """))
            while let row = try rows.next() {
                let task = try RowDecoding.taskState(row)
                tasks[try row.decode(String.self, atIndex: 0), default: [:]][task.taskID] = task
            }
            var signals: [String: [ExecutionSignal]] = [:]
            let signalRows = try Row.fetchCursor(
                db.cachedStatement(sql: """
                    SELECT \(RowDecoding.signalColumns) FROM signals
                    WHERE consumed_by IS NULL AND execution_id IN (SELECT id FROM executions WHERE \(unfinished))
                    ORDER BY received_at, rowid
                    """))
            while let row = try signalRows.next() {
                let signal = try RowDecoding.signal(row)
                signals[signal.executionID, default: []].append(signal)
            }
            let instances = try Self.instances(
                db, executionFilter: "execution_id IN (SELECT id FROM executions WHERE \(unfinished))")
            return records.map {
                var state = ExecutionState(record: $0, tasks: tasks[$0.id] ?? [:], instances: instances[$0.id] ?? [:])
                state.pendingSignals = signals[$0.id] ?? []
                return state
            }
        }
    }

    public func events(executionID: String, afterSeq: Int64, limit: Int) async throws -> [ExecutionEvent] {
        let limit = max(0, limit)
        return try await reading("read events of \(executionID)") { db in
            try Row.fetchAll(
                db.cachedStatement(sql: """
                    SELECT \(RowDecoding.eventColumns) FROM events
                    WHERE execution_id = ? AND seq > ? ORDER BY seq LIMIT ?
                    """),
                arguments: [executionID, afterSeq, limit]
            ).map(RowDecoding.event)
        }
    }

    public func executionCounts() async throws -> [WorkflowStatus: Int] {
        try await reading("count executions") { db in
            var counts: [WorkflowStatus: Int] = [:]
            let rows = try Row.fetchCursor(db.cachedStatement(sql: "SELECT status, COUNT(*) FROM executions GROUP BY status"))
            while let row = try rows.next() {
                let text: String = try row.decode(atIndex: 0)
                guard let status = WorkflowStatus(rawValue: text) else {
                    throw HarmoniaError(.storageFailure, "executions hold unknown status '\(text)'")
                }
                counts[status] = try row.decode(atIndex: 1)
            }
            return counts
        }
    }

    /// The one execution matching `whereClause` with all its task rows, or nil.
    private static func executionState(
        _ db: Database, whereClause: String, arguments: StatementArguments
    ) throws -> ExecutionState? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT \(RowDecoding.executionColumns) FROM executions WHERE \(whereClause)"),
                arguments: arguments)
        else { return nil }
        let record = try RowDecoding.executionRecord(row)
        var tasks: [String: TaskState] = [:]
        let rows = try Row.fetchCursor(
            db.cachedStatement(sql: "SELECT \(RowDecoding.taskColumns) FROM task_runs WHERE execution_id = ?"),
            arguments: [record.id])
        while let row = try rows.next() {
            let task = try RowDecoding.taskState(row)
            tasks[task.taskID] = task
        }
        let instances = try Self.instances(db, executionFilter: "execution_id = ?", arguments: [record.id])
        var state = ExecutionState(record: record, tasks: tasks, instances: instances[record.id] ?? [:])
        state.pendingSignals = try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT \(RowDecoding.signalColumns) FROM signals
                WHERE execution_id = ? AND consumed_by IS NULL ORDER BY received_at, rowid
                """),
            arguments: [record.id]
        ).map(RowDecoding.signal)
        return state
    }
}

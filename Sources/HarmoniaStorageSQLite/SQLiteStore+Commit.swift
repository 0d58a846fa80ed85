import Foundation
import GRDB
import HarmoniaCore

/// The write path: many executions' changes in one transaction (group commit).
extension SQLiteStore: SynchronousCommitting {
    /// Applies `changes` in one transaction: all or nothing.
    ///
    /// A new execution is inserted; an existing one is updated only if its stored `last_seq`
    /// is the one the change continues from, which makes the sequence check and the update a
    /// single statement. Fields fixed at creation (workflow id, version and name, input,
    /// idempotency key, created_at, restored_from) are not rewritten by updates.
    public func commit(_ changes: [ExecutionChange]) async throws {
        guard !changes.isEmpty else { return }
        let encoded = try changes.map(EncodedChange.init)
        try await writing("commit \(changes.count) change(s)") { db in
            try Self.apply(encoded, db)
        }
    }

    /// The same commit, on the calling thread (see `SynchronousCommitting`): GRDB runs a
    /// synchronous write on its serial writer queue with `dispatch_sync`, which executes on
    /// the caller's thread, so no thread is woken.
    public func commitSynchronously(_ changes: [ExecutionChange]) throws {
        guard !changes.isEmpty else { return }
        let encoded = try changes.map(EncodedChange.init)
        do {
            try pool.write { db in try Self.apply(encoded, db) }
        } catch {
            throw Self.storageError(error, "commit \(changes.count) change(s)")
        }
    }

    private static func apply(_ changes: [EncodedChange], _ db: Database) throws {
        let insertExecution = try FastStatement(db, sql: CommitSQL.insertExecution)
        let updateExecution = try FastStatement(db, sql: CommitSQL.updateExecution)
        let upsertTask = try FastStatement(db, sql: CommitSQL.upsertTask)
        let insertEvent = try FastStatement(db, sql: CommitSQL.insertEvent)
        // Rows go in chunks through multi-row statements: one step per chunk instead of
        // one per row, and one AUTOINCREMENT bookkeeping update per chunk.
        let upsertTasks = try FastStatement(db, sql: CommitSQL.upsertTasks)
        let insertEvents = try FastStatement(db, sql: CommitSQL.insertEvents)
        defer {
            for statement in [insertExecution, updateExecution, upsertTask, insertEvent, upsertTasks, insertEvents] {
                statement.clearBindings()
            }
        }
        for change in changes {
            if change.isNew {
                do {
                    try insertExecution.execute(change.execution)
                } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                    throw conflict(error, executionID: change.executionID)
                }
            } else {
                try updateExecution.execute(change.execution)
                if db.changesCount == 0 { throw try mismatch(db, change) }
            }
            try insertChunked(change.tasks, chunk: upsertTasks, single: upsertTask)
            try insertChunked(change.events, chunk: insertEvents, single: insertEvent)
            try upsertInstances(change.instances, db)
            if !change.checkpoints.isEmpty {
                let insertCheckpoint = try FastStatement(db, sql: CommitSQL.insertCheckpoint)
                defer { insertCheckpoint.clearBindings() }
                for checkpoint in change.checkpoints { try insertCheckpoint.execute(checkpoint) }
            }
            if !change.signals.isEmpty {
                let upsertSignal = try FastStatement(db, sql: CommitSQL.upsertSignal)
                defer { upsertSignal.clearBindings() }
                for signal in change.signals { try upsertSignal.execute(signal) }
            }
        }
    }

    /// Runs `rows` through `chunk` (a statement of `CommitSQL.chunkRows` rows) while whole
    /// chunks remain, and the rest row by row through `single`.
    private static func insertChunked(_ rows: [[SQLValue]], chunk: FastStatement, single: FastStatement) throws {
        var start = rows.startIndex
        while rows.endIndex - start >= CommitSQL.chunkRows {
            try chunk.execute(rows: rows[start..<start + CommitSQL.chunkRows])
            start += CommitSQL.chunkRows
        }
        for row in rows[start...] { try single.execute(row) }
    }

    /// Why an insert of a new execution broke a constraint.
    private static func conflict(_ error: DatabaseError, executionID: String) -> any Error {
        if error.message?.contains("idempotency_key") == true {
            return HarmoniaError(.conflict, "new execution \(executionID) reuses an idempotency key")
        }
        if error.extendedResultCode == .SQLITE_CONSTRAINT_PRIMARYKEY || error.message?.contains("executions.id") == true {
            return HarmoniaError(.conflict, "execution \(executionID) already exists")
        }
        return storageError(error, "insert execution \(executionID)")
    }

    /// Why an update matched no row: the execution is missing or its log moved on.
    private static func mismatch(_ db: Database, _ change: EncodedChange) throws -> HarmoniaError {
        let stored = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT last_seq FROM executions WHERE id = ?"), arguments: [change.executionID])
        guard let stored else {
            return HarmoniaError(.notFound, "execution \(change.executionID) does not exist")
        }
        return HarmoniaError(
            .sequenceConflict,
            "execution \(change.executionID): stored log ends at seq \(stored), "
                + "but the change continues from seq \(change.priorSeq) (to \(change.lastSeq))")
    }
}

/// The statements of the write path, prepared once per connection and cached by GRDB.
enum CommitSQL {
    static let insertExecution = """
        INSERT INTO executions (\(RowDecoding.executionColumns))
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// A received signal is inserted; a consumed one updates its row.
    static let upsertSignal = """
        INSERT INTO signals (\(RowDecoding.signalColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET
            consumed_by = excluded.consumed_by, consumed_attempt = excluded.consumed_attempt,
            consumed_at = excluded.consumed_at
        """

    static let updateExecution = """
        UPDATE executions SET status = ?, metadata = ?, error = ?, started_at = ?, finished_at = ?,
            updated_at = ?, deadline = ?, last_seq = ?
        WHERE id = ? AND last_seq = ?
        """

    static let upsertTask = """
        INSERT INTO task_runs (\(RowDecoding.taskColumns))
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (execution_id, task_id) DO UPDATE SET
            status = excluded.status, attempt = excluded.attempt, retries = excluded.retries,
            input = excluded.input, output = excluded.output, error = excluded.error,
            reason = excluded.reason, started_at = excluded.started_at,
            finished_at = excluded.finished_at, next_attempt_at = excluded.next_attempt_at,
            timeout_at = excluded.timeout_at
        """

    static let insertCheckpoint = """
        INSERT INTO checkpoints (id, execution_id, seq, reason, created_at, snapshot) VALUES (?, ?, ?, ?, ?, ?)
        """

    static let insertEvent = """
        INSERT INTO events (\(RowDecoding.eventColumns)) VALUES (?, ?, ?, ?, ?, ?, ?)
        """

    /// Rows per multi-row statement: large enough to amortize a statement's step, small
    /// enough that a batch of a few rows does not need it.
    static let chunkRows = 16

    static let insertEvents = """
        INSERT INTO events (\(RowDecoding.eventColumns)) VALUES \(placeholders(rows: chunkRows, columns: 7))
        """

    static let upsertTasks = upsertTask.replacingOccurrences(
        of: "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", with: "VALUES \(placeholders(rows: chunkRows, columns: 13))")

    static func placeholders(rows: Int, columns: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        return Array(repeating: row, count: rows).joined(separator: ", ")
    }
}

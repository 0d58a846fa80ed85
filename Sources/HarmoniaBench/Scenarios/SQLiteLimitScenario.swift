import Foundation
import GRDB
import HarmoniaCore

/// `sqlite-limit`: the raw commit rate of SQLite on the disk and with the settings the
/// server uses (WAL, the chosen `synchronous`), in the bench's own process, with GRDB.
///
/// A table shaped like the server's `events` (autoincrement id, `UNIQUE(execution_id, seq)`)
/// receives rows like an event row (~200 bytes): for `sqliteSeconds` one row per
/// transaction, then for as long again `sqliteBatchRows` rows per transaction, all on the
/// writer connection with a prepared statement, so nothing but SQLite and the disk is
/// measured. The two rates are the physical limits the other scenarios are compared with:
/// batched for throughput, one row per commit for a sequential step.
struct SQLiteLimitScenario: BenchScenario {
    var name: ScenarioName { .sqliteLimit }

    /// One phase's outcome.
    struct Phase: Sendable {
        var rows: Int
        var seconds: Double
        var rowsPerSecond: Double { Double(rows) / seconds }
    }

    func run(_ context: BenchContext, server: EmbeddedServer?) async throws -> ScenarioResult {
        let sizes = context.sizes
        let path = (context.scratchDirectory as NSString).appendingPathComponent("sqlite-limit-\(UUID().uuidString.lowercased()).sqlite")
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        context.progress(
            "sqlite-limit: \(sizes.sqliteSeconds) s of one row per commit, then \(sizes.sqliteSeconds) s of \(sizes.sqliteBatchRows) rows per commit (synchronous=\(context.synchronous.pragma))")
        let (single, batched, rowBytes) = try await Self.measure(
            path: path, synchronous: context.synchronous, seconds: sizes.sqliteSeconds, batchRows: sizes.sqliteBatchRows)

        var result = ScenarioResult(scenario: .sqliteLimit)
        result.seconds = single.seconds + batched.seconds
        result.fields = [
            "rows_per_second_single": ScenarioResult.number(single.rowsPerSecond),
            "rows_per_second_batched": ScenarioResult.number(batched.rowsPerSecond),
            "commit_ms": ScenarioResult.number(single.seconds / Double(single.rows) * 1000),
            "rows_single": .integer(single.rows),
            "rows_batched": .integer(batched.rows),
            "batch_rows": .integer(sizes.sqliteBatchRows),
            "row_bytes": .integer(rowBytes),
            "journal_mode": "wal",
        ]
        return result
    }

    static func measure(path: String, synchronous: SQLiteSynchronous, seconds: Double, batchRows: Int) async throws
        -> (single: Phase, batched: Phase, rowBytes: Int)
    {
        var configuration = Configuration()
        configuration.label = "harmonia-bench-sqlite-limit"
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw HarmoniaError(.benchFailed, "sqlite-limit: cannot open \(path): \(error)")
        }
        defer { try? pool.close() }
        do {
            return try await pool.writeWithoutTransaction { db in
                // As the server's store does: set on the writer and read back.
                try db.execute(sql: "PRAGMA synchronous = \(synchronous.pragma)")
                let applied = try Int.fetchOne(db, sql: "PRAGMA synchronous")
                let wanted = synchronous == .full ? 2 : 1
                guard applied == wanted else {
                    throw HarmoniaError(.benchFailed, "sqlite-limit: PRAGMA synchronous = \(synchronous.pragma) did not apply")
                }
                try db.execute(
                    sql: """
                        CREATE TABLE events (
                            id INTEGER PRIMARY KEY AUTOINCREMENT,
                            execution_id TEXT NOT NULL,
                            seq INTEGER NOT NULL,
                            event_type TEXT NOT NULL,
                            task_id TEXT,
                            details TEXT NOT NULL,
                            message TEXT NOT NULL,
                            timestamp INTEGER NOT NULL,
                            UNIQUE (execution_id, seq)
                        )
                        """)
                let insert = try db.makeStatement(
                    sql: "INSERT INTO events (execution_id, seq, event_type, task_id, details, message, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)")
                var rows = EventRows()
                let single = try phase(db, seconds: seconds, rowsPerCommit: 1, insert: insert, rows: &rows)
                let batched = try phase(db, seconds: seconds, rowsPerCommit: batchRows, insert: insert, rows: &rows)
                return (single, batched, rows.rowBytes)
            }
        } catch let error as HarmoniaError {
            throw error
        } catch {
            throw HarmoniaError(.benchFailed, "sqlite-limit: \(error)")
        }
    }

    /// Commits transactions of `rowsPerCommit` rows until `seconds` have passed.
    private static func phase(
        _ db: Database, seconds: Double, rowsPerCommit: Int, insert: Statement, rows: inout EventRows
    ) throws -> Phase {
        let clock = ContinuousClock()
        let start = clock.now
        let limit = Duration.seconds(seconds)
        var written = 0
        repeat {
            try db.inTransaction {
                for _ in 0..<rowsPerCommit {
                    try insert.execute(arguments: rows.next())
                }
                return .commit
            }
            written += rowsPerCommit
        } while clock.now - start < limit
        return Phase(rows: written, seconds: (clock.now - start).seconds)
    }
}

/// Rows shaped like the server's `task_completed` events: a UUID execution id, a task id
/// like the fan-out's, the details and message the engine writes.
private struct EventRows {
    let executionID = UUID().uuidString.lowercased()
    var seq = 0

    /// The payload bytes of one row (text lengths plus two 8-byte integers).
    var rowBytes: Int {
        let sample = arguments(seq: 1)
        return sample.texts.reduce(0) { $0 + $1.utf8.count } + 16
    }

    mutating func next() -> StatementArguments {
        seq += 1
        let row = arguments(seq: seq)
        return [row.texts[0], seq, row.texts[1], row.texts[2], row.texts[3], row.texts[4], Int(Date().timeIntervalSince1970 * 1000)]
    }

    private func arguments(seq: Int) -> (texts: [String], seq: Int) {
        let task = "l\(seq % 100)_\(seq / 100 % 100)"
        return (
            [
                executionID, "task_completed", task,
                #"{"attempt":1,"duration":0.000123456,"output":{"result":"ok"},"task_name":"\#(task)"}"#,
                "task '\(task)' completed (attempt 1)",
            ], seq
        )
    }
}

import GRDB
import GRDBSQLite

/// Executes a GRDB-prepared, cached statement through SQLite's C API.
///
/// The group-commit path runs thousands of statements per transaction, and GRDB's general
/// argument handling cost several times what SQLite itself spends per row. GRDB keeps owning
/// the statement (preparation, caching, finalization) and the transaction; this only binds
/// and steps, which GRDB documents as supported use of `Statement.sqliteStatement`. Each run
/// binds every parameter, so no stale binding can leak from one row into the next.
///
/// Caveat: stepping outside GRDB skips its transaction-observer bookkeeping, so a GRDB
/// `ValueObservation` on executions, task_runs or events would not see these writes. Nothing
/// observes them today; a live-stream feature should read `events.id` instead.
struct FastStatement {
    private let handle: OpaquePointer
    private let connection: OpaquePointer
    private let parameterCount: Int32
    private let sql: String

    init(_ db: Database, sql: String) throws {
        let statement = try db.cachedStatement(sql: sql)
        guard let connection = db.sqliteConnection else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "database connection is closed")
        }
        self.handle = statement.sqliteStatement
        self.connection = connection
        self.parameterCount = sqlite3_bind_parameter_count(statement.sqliteStatement)
        self.sql = sql
    }

    /// Binds `values` to the parameters in order and runs the statement to completion.
    func execute(_ values: [SQLValue]) throws {
        try execute(rows: CollectionOfOne(values))
    }

    /// Binds the values of `rows`, one row after the other, to the parameters in order and
    /// runs the statement once: the form for a multi-row `VALUES (…), (…)` statement.
    func execute<Rows: Collection<[SQLValue]>>(rows: Rows) throws {
        let count = rows.reduce(0) { $0 + $1.count }
        guard count == Int(parameterCount) else {
            throw DatabaseError(
                resultCode: .SQLITE_RANGE, message: "\(count) arguments for \(parameterCount) parameters",
                sql: sql)
        }
        sqlite3_reset(handle)
        var offset = 0
        for row in rows {
            for value in row {
                offset += 1
                try bind(value, at: Int32(offset))
            }
        }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let failure = error(code)
            sqlite3_reset(handle)
            throw failure
        }
        sqlite3_reset(handle)
    }

    private func bind(_ value: SQLValue, at index: Int32) throws {
        let code: Int32
        switch value {
        case .null:
            code = sqlite3_bind_null(handle, index)
        case .integer(let integer):
            code = sqlite3_bind_int64(handle, index, integer)
        case .text(var text):
            code = text.withUTF8 { bytes in
                // A nil base address would bind NULL, not the empty string.
                guard let base = bytes.baseAddress, bytes.count > 0 else {
                    return sqlite3_bind_text(handle, index, "", 0, transient)
                }
                return sqlite3_bind_text(handle, index, base, Int32(bytes.count), transient)
            }
        case .utf8(let utf8):
            code = utf8.withUnsafeBytes { bytes in
                guard let base = bytes.baseAddress, bytes.count > 0 else {
                    return sqlite3_bind_text(handle, index, "", 0, transient)
                }
                return sqlite3_bind_text(
                    handle, index, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), transient)
            }
        }
        guard code == SQLITE_OK else { throw error(code) }
    }

    /// Drops the bound copies so large texts are not held until the next batch.
    func clearBindings() {
        sqlite3_clear_bindings(handle)
    }

    private func error(_ code: Int32) -> DatabaseError {
        // The connection reports extended result codes (GRDB enables them), so a constraint
        // violation arrives as, say, SQLITE_CONSTRAINT_UNIQUE, with SQLite's message.
        DatabaseError(
            resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
    }
}

/// SQLite copies the bytes before the bind call returns, so Swift's buffer may go away.
private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

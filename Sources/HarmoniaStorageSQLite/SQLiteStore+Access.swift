import GRDB
import HarmoniaCore

/// Database access with SQLite's errors translated into `HarmoniaError`.
///
/// Every public method goes through these, so callers only ever see Harmonia codes:
/// `HarmoniaError`s thrown inside pass through (they carry `conflict`, `not_found`...),
/// cancellation stays cancellation, and anything else becomes `storage_failure`.
extension SQLiteStore {
    /// One write transaction, committed when `body` returns and rolled back when it throws.
    func writing<T: Sendable>(_ operation: String, _ body: @Sendable (Database) throws -> T) async throws -> T {
        do { return try await pool.write(body) } catch { throw Self.storageError(error, operation) }
    }

    func writingWithoutTransaction<T: Sendable>(
        _ operation: String, _ body: @Sendable (Database) throws -> T
    ) async throws -> T {
        do { return try await pool.writeWithoutTransaction(body) } catch { throw Self.storageError(error, operation) }
    }

    /// A read on a committed snapshot, concurrent with writes.
    func reading<T: Sendable>(_ operation: String, _ body: @Sendable (Database) throws -> T) async throws -> T {
        do { return try await pool.read(body) } catch { throw Self.storageError(error, operation) }
    }

    /// `error` as callers should see it. The message names the operation and SQLite's own
    /// message, never statement arguments, which may hold user data.
    static func storageError(_ error: any Error, _ operation: String) -> any Error {
        switch error {
        case let error as HarmoniaError:
            return error
        case is CancellationError:
            return error
        case let error as DatabaseError:
            let detail = error.message ?? "\(error.extendedResultCode)"
            // The disk or the file, not the statement: the operation may well succeed later.
            let unavailable: [ResultCode] = [.SQLITE_FULL, .SQLITE_IOERR, .SQLITE_READONLY, .SQLITE_CANTOPEN]
            let code: HarmoniaError.Code = unavailable.contains(error.resultCode) ? .storageUnavailable : .storageFailure
            return HarmoniaError(code, "\(operation) failed: SQLite \(error.extendedResultCode.rawValue): \(detail)")
        default:
            return HarmoniaError(.storageFailure, "\(operation) failed: \(error)")
        }
    }
}

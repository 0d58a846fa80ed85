import GRDB
import HarmoniaCore

/// Checkpoint reads. Checkpoints are written by `commit`, with their events.
extension SQLiteStore {
    public func checkpoint(id: String) async throws -> Checkpoint? {
        try await reading("read checkpoint \(id)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT snapshot FROM checkpoints WHERE id = ?", arguments: [id]) else {
                return nil
            }
            return try StoredCheckpoint.decode(row["snapshot"], column: "checkpoints.snapshot")
        }
    }

    public func checkpoints(executionID: String) async throws -> [Checkpoint] {
        try await reading("list checkpoints of \(executionID)") { db in
            try Row.fetchAll(
                db, sql: "SELECT snapshot FROM checkpoints WHERE execution_id = ? ORDER BY seq", arguments: [executionID]
            ).map { try StoredCheckpoint.decode($0["snapshot"], column: "checkpoints.snapshot") }
        }
    }
}

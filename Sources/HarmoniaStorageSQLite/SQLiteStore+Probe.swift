import GRDB
import HarmoniaCore

extension SQLiteStore {
    /// Inserts one page-sized row into `storage_probe` and deletes it, in one transaction.
    ///
    /// A full page (not a tiny row) so the write needs what a real change needs: WAL frames on
    /// disk, and a page the database may have to grow for. An update in place could succeed
    /// on a disk that has no room left for a new execution.
    public func probeWrite() async throws {
        try await writing("probe a write") { db in
            let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096
            try db.execute(sql: "INSERT INTO storage_probe (filler) VALUES (zeroblob(?))", arguments: [pageSize])
            try db.execute(sql: "DELETE FROM storage_probe")
        }
    }
}

import Foundation
import GRDB
import HarmoniaCore

/// The embedded, durable `Store`: one SQLite file in WAL mode.
///
/// GRDB's `DatabasePool` gives one writer connection, on which every write is serialized
/// (concurrent writers were measured slower than one), and several readers that see
/// committed snapshots without waiting for the writer. Commits are `synchronous=FULL` unless
/// configured otherwise: the engine group-commits, so the fsync is paid once per batch.
public final class SQLiteStore: Store {
    /// Path of the database file.
    public let path: String
    public let configuration: SQLiteStoreConfiguration
    /// One writer, several readers. `package` so tests and later SQLite-specific readers (an
    /// all-executions event stream over `events.id`) can reach it; never for ad-hoc writes.
    package let pool: DatabasePool
    /// Decoded workflow versions (immutable once stored).
    let definitions = DefinitionCache()
    /// Checkpoints the WAL off the writer, so no commit waits for one.
    let checkpointer: WALCheckpointer
    /// A directory this store created for itself and removes on deinit (`inMemory()` only).
    private let ownedDirectory: URL?

    /// Opens (creating if needed) the database at `path`, creating its parent directory.
    /// Call `migrate()` before anything else on a new file.
    public convenience init(path: String, configuration: SQLiteStoreConfiguration = .init()) throws {
        try self.init(path: path, configuration: configuration, ownedDirectory: nil)
    }

    private init(path: String, configuration: SQLiteStoreConfiguration, ownedDirectory: URL?) throws {
        self.path = path
        self.configuration = configuration
        self.ownedDirectory = ownedDirectory
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw HarmoniaError(.storageFailure, "cannot create directory \(parent.path): \(error.localizedDescription)")
        }
        var config = Configuration()
        config.label = "harmonia"
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(configuration.busyTimeout.seconds)
        config.maximumReaderCount = max(1, configuration.maximumReaderCount)
        let pool: DatabasePool
        let checkpointer: WALCheckpointer
        do {
            pool = try DatabasePool(path: path, configuration: config)
            checkpointer = try WALCheckpointer(
                path: path, synchronous: configuration.synchronous, softLimitPages: configuration.checkpointPages,
                hardLimitPages: configuration.inlineCheckpointPages)
            // DatabasePool sets synchronous=NORMAL on its writer after prepareDatabase has
            // run, so the setting only sticks when applied here, on the writer itself. Read it
            // back: a durability setting that silently did not apply is worse than an error.
            let wanted = configuration.synchronous.rawValue
            let applied = try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = \(wanted)")
                checkpointer.install(on: db)
                return try Self.synchronousName(db)
            }
            guard applied == wanted else {
                throw HarmoniaError(.storageFailure, "PRAGMA synchronous = \(wanted) did not apply (reads \(applied))")
            }
        } catch {
            throw Self.storageError(error, "open \(path)")
        }
        self.pool = pool
        self.checkpointer = checkpointer
    }

    deinit {
        guard let ownedDirectory else { return }
        try? pool.close()
        try? FileManager.default.removeItem(at: ownedDirectory)
    }

    /// A migrated store on a private temporary file that is deleted when the store is released.
    ///
    /// SQLite's WAL mode, which this store relies on, needs a real file, so this is the closest
    /// thing to an in-memory database that behaves exactly like production. Durability is
    /// irrelevant for a throwaway file, hence `NORMAL` by default.
    public static func inMemory(
        configuration: SQLiteStoreConfiguration = .init(synchronous: .normal)
    ) throws -> SQLiteStore {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("harmonia-store-\(UUID().uuidString.lowercased())", isDirectory: true)
        let store = try SQLiteStore(
            path: directory.appendingPathComponent("harmonia.sqlite").path,
            configuration: configuration, ownedDirectory: directory)
        do {
            try Migrations.migrator.migrate(store.pool)
        } catch {
            throw storageError(error, "migrate")
        }
        return store
    }

    /// Closes every connection. Later calls fail with `storage_failure`.
    public func close() throws {
        checkpointer.stop()
        do { try pool.close() } catch { throw Self.storageError(error, "close") }
    }

    /// What the background WAL checkpointer has done so far.
    package var walCheckpoints: WALCheckpointer.Status { checkpointer.status }

    // MARK: Schema and settings

    public func migrate() async throws {
        let pool = self.pool
        do {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                Migrations.migrator.asyncMigrate(pool) { result in
                    continuation.resume(with: result.map { _ in })
                }
            }
        } catch {
            throw Self.storageError(error, "migrate")
        }
    }

    /// Identifiers of the migrations applied to this file ("v1", ...), oldest first.
    public func appliedMigrations() async throws -> [String] {
        try await reading("read migrations") { db in try Migrations.migrator.appliedMigrations(db) }
    }

    /// The writer connection's `PRAGMA synchronous`: "FULL", "NORMAL", ...
    ///
    /// Read on the writer because that is the connection whose commits it governs.
    public func synchronousMode() async throws -> String {
        try await writingWithoutTransaction("read synchronous") { db in try Self.synchronousName(db) }
    }

    /// The database's `PRAGMA journal_mode`, upper-cased: "WAL".
    public func journalMode() async throws -> String {
        try await writingWithoutTransaction("read journal_mode") { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "").uppercased()
        }
    }

    private static func synchronousName(_ db: Database) throws -> String {
        let value = try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
        switch value {
        case 0: return "OFF"
        case 1: return "NORMAL"
        case 2: return "FULL"
        case 3: return "EXTRA"
        default: return "UNKNOWN(\(value))"
        }
    }
}

extension Duration {
    /// The duration in (fractional) seconds, as GRDB's busy timeout wants it.
    fileprivate var seconds: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}

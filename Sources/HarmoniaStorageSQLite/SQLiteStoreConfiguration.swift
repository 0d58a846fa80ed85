/// How a `SQLiteStore` opens its database.
///
/// The defaults favour durability: with group commit one fsync per batch is cheap enough
/// that `FULL` costs little throughput (see docs/architecture.md, "Facts established").
public struct SQLiteStoreConfiguration: Sendable, Hashable {
    /// SQLite's `PRAGMA synchronous` setting for the writer connection.
    public enum Synchronous: String, Sendable, Hashable, CaseIterable {
        /// fsync on every commit: nothing acknowledged is lost, even on power failure.
        case full = "FULL"
        /// fsync only at WAL checkpoints: a power failure may lose the last commits,
        /// a process crash loses nothing.
        case normal = "NORMAL"
    }

    /// Durability of commits; `.full` by default.
    public var synchronous: Synchronous
    /// How long a connection waits for a lock held by another connection (another process
    /// or a WAL checkpoint) before failing with `storage_failure`.
    public var busyTimeout: Duration
    /// Most concurrent reader connections.
    public var maximumReaderCount: Int
    /// WAL size (pages) at which a background connection checkpoints it (see
    /// `WALCheckpointer`); SQLite's own automatic checkpoint used the same 1,000.
    public var checkpointPages: Int
    /// WAL size (pages) at which the writer checkpoints inline after all, should the
    /// background checkpoints fall behind (80 MB with 4 KB pages).
    public var inlineCheckpointPages: Int

    public init(
        synchronous: Synchronous = .full, busyTimeout: Duration = .seconds(5), maximumReaderCount: Int = 4,
        checkpointPages: Int = 1000, inlineCheckpointPages: Int = 20_000
    ) {
        self.synchronous = synchronous
        self.busyTimeout = busyTimeout
        self.maximumReaderCount = maximumReaderCount
        self.checkpointPages = checkpointPages
        self.inlineCheckpointPages = inlineCheckpointPages
    }
}

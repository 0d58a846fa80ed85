/// SQLite's `PRAGMA synchronous` for the server under test and for `sqlite-limit`.
///
/// Its own type rather than the store's, so the bench depends on the server only over HTTP
/// and a child process. The raw values are what `HARMONIA_SYNCHRONOUS` accepts.
public enum SQLiteSynchronous: String, Sendable, Hashable, CaseIterable {
    /// fsync on every commit: the durable store, and the default.
    case full
    /// fsync only at WAL checkpoints.
    case normal

    /// The pragma's value.
    var pragma: String { rawValue.uppercased() }
}

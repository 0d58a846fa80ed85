import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// Checkpoints the write-ahead log on a connection of its own, so a commit never has to.
///
/// SQLite's automatic checkpoint runs inside the commit that takes the WAL past 1,000 pages:
/// that commit copies the pages into the database file and fsyncs it before returning. The
/// engine commits in place on its loop, so every execution in the engine waited for it —
/// a few ms on an idle disk, hundreds under load — and those waits were the tail of every
/// latency `harmonia bench` measures (the starts benchmark crosses 1,000 pages about three
/// times a second).
///
/// Instead the writer's WAL hook (which replaces the automatic checkpoint on that
/// connection) only signals this checkpointer once the WAL holds `softLimitPages` pages, and
/// a PASSIVE checkpoint on a separate connection copies them into the database file, without
/// taking the writer's lock. SQLite rewinds the WAL only when a write transaction begins with
/// every frame copied, which a background checkpoint racing a busy writer never achieves (the
/// writer appends while it copies; measured: the WAL grew to 28 MB). So the writer's next
/// commit after a background checkpoint finishes the job inline: it copies only the frames
/// appended meanwhile (tens, not a thousand) and the following commit rewinds the WAL.
/// Backstop: should the WAL reach `hardLimitPages` (the checkpointer failing or starved of
/// CPU), the writer checkpoints inline, as SQLite itself would have.
package final class WALCheckpointer: Sendable {
    /// What the checkpointer has done, for tests and diagnostics.
    package struct Status: Sendable, Hashable {
        /// Background checkpoints that ran (complete or not).
        package var background = 0
        /// Short checkpoints the writer ran after a background one, to copy the frames
        /// appended while it ran.
        package var finishing = 0
        /// Checkpoints the writer ran inline because the WAL reached the hard limit.
        package var inline = 0
        /// The WAL's size in pages at the last background checkpoint, and how many of them it
        /// had copied into the database file.
        package var lastWALPages = 0
        package var lastCheckpointedPages = 0
        package var lastError: String?
    }

    private struct State {
        var status = Status()
        /// A signal is queued or a checkpoint is running: commits need not signal again.
        var pending = false
        /// A background checkpoint finished; the writer's next commit finishes it.
        var finishNext = false
        /// Pages the hook saw last: fewer now means the writer rewound the WAL.
        var lastSeenPages: Int32 = 0
        /// The hook signals once the WAL holds at least this many pages.
        var nextSignalAt: Int32
    }

    let softLimitPages: Int32
    let hardLimitPages: Int32
    private let connection: DatabaseQueue
    private let signals: AsyncStream<Void>.Continuation
    private let state: Mutex<State>
    private let loop = Mutex<Task<Void, Never>?>(nil)

    init(path: String, synchronous: SQLiteStoreConfiguration.Synchronous, softLimitPages: Int, hardLimitPages: Int) throws {
        self.softLimitPages = Int32(clamping: max(1, softLimitPages))
        self.hardLimitPages = Int32(clamping: max(1, hardLimitPages))
        var config = Configuration()
        config.label = "harmonia.checkpointer"
        // A checkpoint syncs the WAL and then the database file as this connection's own
        // setting says; it must be as durable as the writer's.
        let mode = synchronous.rawValue
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = \(mode)") }
        connection = try DatabaseQueue(path: path, configuration: config)
        state = Mutex(State(nextSignalAt: self.softLimitPages))
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        signals = continuation
        loop.withLock { task in
            task = Task.detached(priority: .utility) { [weak self] in
                for await _ in stream {
                    guard let self else { return }
                    await self.checkpoint()
                }
            }
        }
    }

    deinit {
        signals.finish()
        loop.withLock { $0?.cancel() }
    }

    package var status: Status { state.withLock { $0.status } }

    /// Stops the background loop; the connection closes when the checkpointer is released.
    func stop() {
        signals.finish()
        loop.withLock { $0?.cancel() }
    }

    /// Installs the hook on the writer connection `db`. The context is a weak box that is
    /// never freed: the writer may outlive this object (GRDB closes it when the pool goes), and
    /// a hook that finds the checkpointer gone checkpoints inline, like SQLite's default.
    func install(on db: Database) {
        let box = Unmanaged.passRetained(WeakCheckpointer(self)).toOpaque()
        sqlite3_wal_hook(db.sqliteConnection, walHook, box)
    }

    /// Called by the writer after each commit with the WAL's size in pages. Cheap: one lock,
    /// and a signal at most once per checkpoint.
    fileprivate func walGrew(to pages: Int32, connection db: OpaquePointer?) {
        if pages >= hardLimitPages {
            sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            state.withLock { $0.status.inline += 1 }
            return
        }
        enum Next { case nothing, signal, finish }
        let next = state.withLock { state -> Next in
            if pages < state.lastSeenPages { state.nextSignalAt = softLimitPages }
            state.lastSeenPages = pages
            if state.finishNext {
                state.finishNext = false
                state.status.finishing += 1
                return .finish
            }
            guard !state.pending, pages >= state.nextSignalAt else { return .nothing }
            state.pending = true
            return .signal
        }
        switch next {
        case .nothing: break
        case .signal: signals.yield()
        case .finish: sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
        }
    }

    private func checkpoint() async {
        let result: Result<(walFrameCount: Int, checkpointedFrameCount: Int), any Error>
        do {
            result = .success(try await connection.writeWithoutTransaction { db in try db.checkpoint(.passive) })
        } catch {
            result = .failure(error)
        }
        state.withLock { state in
            state.pending = false
            state.status.background += 1
            switch result {
            case .success(let frames):
                state.status.lastWALPages = frames.walFrameCount
                state.status.lastCheckpointedPages = frames.checkpointedFrameCount
                state.status.lastError = nil
                state.finishNext = true
                // Not rewound yet (a reader still needed old frames, or no commit since):
                // signal again only after another quarter of the limit, not on every commit.
                state.nextSignalAt = Int32(clamping: max(frames.walFrameCount, 0)) + max(1, softLimitPages / 4)
            case .failure(let error):
                state.status.lastError = "\(error)"
                state.nextSignalAt = state.lastSeenPages + max(1, softLimitPages / 4)
            }
        }
    }
}

/// The WAL hook's context: a weak reference, so the hook never keeps the checkpointer alive
/// and never touches a freed one.
private final class WeakCheckpointer {
    weak var checkpointer: WALCheckpointer?
    let softLimitPages: Int32

    init(_ checkpointer: WALCheckpointer) {
        self.checkpointer = checkpointer
        self.softLimitPages = checkpointer.softLimitPages
    }
}

/// `sqlite3_wal_hook` callback: runs on the writer, inside its commit, after the WAL was
/// written. Returning SQLITE_OK leaves the commit as it is.
private func walHook(
    _ context: UnsafeMutableRawPointer?, _ db: OpaquePointer?, _ name: UnsafePointer<CChar>?, _ pages: Int32
) -> Int32 {
    guard let context else { return SQLITE_OK }
    let box = Unmanaged<WeakCheckpointer>.fromOpaque(context).takeUnretainedValue()
    if let checkpointer = box.checkpointer {
        checkpointer.walGrew(to: pages, connection: db)
    } else if pages >= box.softLimitPages {
        sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
    }
    return SQLITE_OK
}

import HarmoniaCore
import Synchronization

/// Decoded workflow definitions by id and version, and which version is each workflow's newest.
///
/// A stored version never changes, so a decoded one can be reused for as long as the
/// process lives. Every execution start reads its definition, and decoding the stored JSON
/// dominated starting an execution of a large workflow (10,000 tasks: tens of ms). Bounded:
/// when full it starts over, which costs a re-read, never a wrong answer.
///
/// The newest version (the head) does change, but only through this store's own writes
/// (the server is the only process that opens the file), so it is cached too: a start
/// without a version then needs no database read at all, which spared a hop to a reader
/// connection on every start. A write forgets the head once it has committed and bumps a
/// generation; a read only remembers what it read when no write committed while it read, so
/// a reader that saw the old head can never put it back after the write.
final class DefinitionCache: Sendable {
    struct Key: Hashable {
        var id: String
        var version: Int
    }

    private struct State {
        var entries: [Key: WorkflowDefinition] = [:]
        var heads: [String: Int] = [:]
        var generation: UInt64 = 0
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int = 256) {
        self.capacity = capacity
    }

    func definition(id: String, version: Int) -> WorkflowDefinition? {
        state.withLock { $0.entries[Key(id: id, version: version)] }
    }

    func store(_ definition: WorkflowDefinition, id: String, version: Int) {
        state.withLock { state in
            if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[Key(id: id, version: version)] = definition
        }
    }

    /// The cached newest version of a live workflow, if known.
    func latestVersion(id: String) -> Int? {
        state.withLock { $0.heads[id] }
    }

    /// Taken before reading a head from the database; pass it to `storeLatest`.
    var generation: UInt64 {
        state.withLock { $0.generation }
    }

    /// Remembers `version` as `id`'s newest unless a write committed since `generation` was taken.
    func storeLatest(_ version: Int, id: String, readAt generation: UInt64) {
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.heads.count >= capacity { state.heads.removeAll(keepingCapacity: true) }
            state.heads[id] = version
        }
    }

    /// Called after a write to `id`'s head row committed (save, delete).
    func headChanged(id: String) {
        state.withLock { state in
            state.heads.removeValue(forKey: id)
            state.generation &+= 1
        }
    }
}

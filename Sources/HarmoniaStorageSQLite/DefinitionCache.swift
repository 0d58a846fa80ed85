import HarmoniaCore
import Synchronization

/// Decoded workflow definitions by id and version.
///
/// A stored version never changes, so a decoded one can be reused for as long as the
/// process lives. Every execution start reads its definition, and decoding the stored JSON
/// dominated starting an execution of a large workflow (10,000 tasks: tens of ms). Bounded:
/// when full it starts over, which costs a re-read, never a wrong answer.
final class DefinitionCache: Sendable {
    struct Key: Hashable {
        var id: String
        var version: Int
    }

    private let entries = Mutex<[Key: WorkflowDefinition]>([:])
    private let capacity: Int

    init(capacity: Int = 256) {
        self.capacity = capacity
    }

    func definition(id: String, version: Int) -> WorkflowDefinition? {
        entries.withLock { $0[Key(id: id, version: version)] }
    }

    func store(_ definition: WorkflowDefinition, id: String, version: Int) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[Key(id: id, version: version)] = definition
        }
    }
}

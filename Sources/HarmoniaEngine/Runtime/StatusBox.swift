import Synchronization

/// Engine counters shared between the engine loop (writer) and status readers.
///
/// A class around a `Mutex` because the mutex itself cannot be copied into both the
/// `Engine` and its `EngineCore`.
final class StatusBox: Sendable {
    private let mutex: Mutex<EngineStatus>

    init(_ status: EngineStatus) { mutex = Mutex(status) }

    func withLock<R>(_ body: (inout EngineStatus) -> R) -> R {
        mutex.withLock { body(&$0) }
    }
}

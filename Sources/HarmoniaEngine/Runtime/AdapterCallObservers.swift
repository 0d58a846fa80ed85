import Synchronization

/// Who wants to hear about finished adapter calls (metrics). Observers run on the calling
/// task right after the adapter returns, so they must be quick and never block.
final class AdapterCallObservers: Sendable {
    private let observers = Mutex<[@Sendable (AdapterCallRecord) -> Void]>([])

    func add(_ observer: @escaping @Sendable (AdapterCallRecord) -> Void) {
        observers.withLock { $0.append(observer) }
    }

    func notify(_ record: AdapterCallRecord) {
        let current = observers.withLock { $0 }
        for observer in current { observer(record) }
    }
}

import Synchronization

/// Counts the server's open connections against `HTTPLimits.maxConnections`.
///
/// Shared by every connection's `ConnectionGuard`; a connection takes a slot when it
/// becomes active and gives it back when it closes.
final class ConnectionLimiter: Sendable {
    let maximum: Int
    private let open = Atomic<Int>(0)

    init(maximum: Int) {
        self.maximum = maximum
    }

    /// Takes a slot; false (taking none) when all are in use.
    func acquire() -> Bool {
        let after = open.add(1, ordering: .relaxed).newValue
        guard after <= maximum else {
            open.subtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func release() {
        open.subtract(1, ordering: .relaxed)
    }

    /// Connections open now.
    var count: Int { open.load(ordering: .relaxed) }
}

import Synchronization

/// Lets one asynchronous operation run at a time; later callers wait their turn in order.
///
/// Reconciliation passes must not interleave (two passes could both load the same
/// component), yet they suspend on HTTP and plugin loading, so a `Mutex` cannot span them
/// and an actor would interleave at every `await`.
final class AsyncGate: Sendable {
    private struct State {
        var busy = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func run<T: Sendable>(_ body: () async -> T) async -> T {
        await enter()
        defer { leave() }
        return await body()
    }

    private func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let admitted = state.withLock { state -> Bool in
                if state.busy {
                    state.waiters.append(continuation)
                    return false
                }
                state.busy = true
                return true
            }
            if admitted { continuation.resume() }
        }
    }

    private func leave() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.busy = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        // Ownership passes straight to the next waiter: `busy` stays true.
        next?.resume()
    }
}

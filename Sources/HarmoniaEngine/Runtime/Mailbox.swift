import Synchronization

/// A multi-producer, single-consumer queue that hands the consumer everything queued so far
/// in one batch.
///
/// Batching is what makes group commit work: while the engine commits one batch, new inputs
/// pile up here, and the next receive takes them all for the next single transaction.
/// Sending never blocks and never waits for the consumer.
final class Mailbox<Element: Sendable>: Sendable {
    private struct State {
        var items: [Element] = []
        var waiter: CheckedContinuation<[Element], Never>?
    }

    private let state = Mutex(State())

    func send(_ element: Element) {
        let waiter: CheckedContinuation<[Element], Never>? = state.withLock { state in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.items.append(element)
            return nil
        }
        waiter?.resume(returning: [element])
    }

    /// Everything queued, waiting for at least one element. Returns an empty batch when the
    /// calling task is canceled.
    func receive() async -> [Element] {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let batch: [Element]? = state.withLock { state in
                    if !state.items.isEmpty {
                        defer { state.items.removeAll(keepingCapacity: true) }
                        return state.items
                    }
                    if Task.isCancelled { return [] }
                    state.waiter = continuation
                    return nil
                }
                if let batch { continuation.resume(returning: batch) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: [])
        }
    }
}

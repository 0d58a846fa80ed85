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
        var closed = false
    }

    private let state = Mutex(State())

    /// Queues `element`; returns false (dropping it) once the mailbox is closed, so a caller
    /// waiting for an answer can fail at once instead of waiting forever.
    @discardableResult
    func send(_ element: Element) -> Bool {
        let (accepted, waiter): (Bool, CheckedContinuation<[Element], Never>?) = state.withLock { state in
            if state.closed { return (false, nil) }
            if let waiter = state.waiter {
                state.waiter = nil
                return (true, waiter)
            }
            state.items.append(element)
            return (true, nil)
        }
        waiter?.resume(returning: [element])
        return accepted
    }

    /// Refuses further sends and returns what was queued but never received.
    func close() -> [Element] {
        state.withLock { state in
            state.closed = true
            defer { state.items.removeAll() }
            return state.items
        }
    }

    /// Everything queued now, possibly nothing; never waits.
    func drain() -> [Element] {
        state.withLock { state in
            defer { state.items.removeAll(keepingCapacity: true) }
            return state.items
        }
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

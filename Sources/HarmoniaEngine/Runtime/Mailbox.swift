import Synchronization

/// A multi-producer, single-consumer queue that hands the consumer everything queued so far
/// in one batch.
///
/// Batching is what makes group commit work: while the engine commits one batch, new inputs
/// pile up here, and the next receive takes them all for the next single transaction.
/// Sending never blocks and never waits for the consumer. Requests from outside (starts,
/// controls, checkpoints) can be bounded (`sendRequest`): past the bound they are refused
/// at once rather than queued without limit; what the engine sends itself (results,
/// timers) is never refused, or work would be lost.
final class Mailbox<Element: Sendable>: Sendable {
    private struct State {
        var items: [Element] = []
        var waiter: CheckedContinuation<[Element], Never>?
        var closed = false
        /// Requests among `items`.
        var requests = 0
    }

    /// What `sendRequest` did with a request.
    enum RequestOutcome {
        case queued
        case closed
        /// `limit` requests already wait: refused, nothing queued.
        case full
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

    /// Queues a request unless `limit` requests already wait for the consumer.
    func sendRequest(_ element: Element, limit: Int) -> RequestOutcome {
        let (outcome, waiter): (RequestOutcome, CheckedContinuation<[Element], Never>?) = state.withLock { state in
            if state.closed { return (.closed, nil) }
            if let waiter = state.waiter {
                state.waiter = nil
                return (.queued, waiter)
            }
            guard state.requests < limit else { return (.full, nil) }
            state.requests += 1
            state.items.append(element)
            return (.queued, nil)
        }
        waiter?.resume(returning: [element])
        return outcome
    }

    /// Requests queued and not yet received.
    var queuedRequests: Int { state.withLock { $0.requests } }

    /// Refuses further sends and returns what was queued but never received.
    func close() -> [Element] {
        state.withLock { state in
            state.closed = true
            state.requests = 0
            defer { state.items.removeAll() }
            return state.items
        }
    }

    /// Everything queued now, possibly nothing; never waits.
    func drain() -> [Element] {
        state.withLock { state in
            defer {
                state.items.removeAll(keepingCapacity: true)
                state.requests = 0
            }
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
                        defer {
                            state.items.removeAll(keepingCapacity: true)
                            state.requests = 0
                        }
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

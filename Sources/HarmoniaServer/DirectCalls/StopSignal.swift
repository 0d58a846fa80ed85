import Synchronization

/// A one-shot signal with a reason: `fire` once from anywhere (a channel handler, a
/// shutdown handler), `wait` until it fires or the waiting task is canceled.
///
/// Decides inside the lock, resumes outside it; a waiter arriving after the fire returns
/// at once, and a fire with no waiter is kept for the next one.
final class StopSignal: Sendable {
    private struct State {
        var reason: DirectCallStop?
        var waiter: CheckedContinuation<DirectCallStop?, Never>?
        var canceled = false
    }

    private let state = Mutex(State())

    /// Records the first reason and wakes the waiter; later fires change nothing.
    func fire(_ reason: DirectCallStop) {
        let waiter = state.withLock { state -> CheckedContinuation<DirectCallStop?, Never>? in
            guard state.reason == nil else { return nil }
            state.reason = reason
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: reason)
    }

    /// The reason once fired; nil if the waiting task is canceled first.
    func wait() async -> DirectCallStop? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<DirectCallStop?, Never>) in
                let immediate: DirectCallStop?? = state.withLock { state in
                    if let reason = state.reason { return .some(reason) }
                    if state.canceled { return .some(nil) }
                    state.waiter = continuation
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<DirectCallStop?, Never>? in
                state.canceled = true
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: nil)
        }
    }
}

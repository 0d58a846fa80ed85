import Synchronization

/// Runs an operation under a hard time limit that does not depend on the host.
///
/// Not every host's HTTP timeout bounds a streamed body (Ergon's SSE execute answer):
/// Harmonia's bounds the whole exchange, but the adapter does not rely on it; and a host
/// request cannot be abandoned from the plugin side (its await ends only when the host
/// answers). So the operation runs in its own task and
/// the caller stops waiting at the limit: the abandoned request ends when the host cancels
/// the invocation's requests, and the caller keeps the time it reserved to clean up.
enum Deadline {
    /// The result of `operation`, or `onTimeout()` thrown after `seconds`; a cancelled caller
    /// gets `CancellationError` at once.
    static func run<T: Sendable>(
        seconds: Double, onTimeout: @escaping @Sendable () -> any Error,
        _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let gate = Gate<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                gate.arm(continuation)
                let work = Task {
                    do {
                        gate.finish(.success(try await operation()))
                    } catch {
                        gate.finish(.failure(error))
                    }
                }
                let timer = Task {
                    try await Task.sleep(for: .milliseconds(Int64((max(0, seconds) * 1000).rounded())))
                    gate.finish(.failure(onTimeout()))
                }
                gate.onFinish { work.cancel(); timer.cancel() }
            }
        } onCancel: {
            gate.finish(.failure(CancellationError()))
        }
    }
}

/// Resumes a continuation once, with whichever outcome arrives first.
private final class Gate<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var early: Result<T, any Error>?
        var done = false
        var cleanup: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    func arm(_ continuation: CheckedContinuation<T, any Error>) {
        let early = state.withLock { state -> Result<T, any Error>? in
            if let early = state.early { return early }
            state.continuation = continuation
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    /// Registers what to stop once an outcome is in (run at once if it already is).
    func onFinish(_ cleanup: @escaping @Sendable () -> Void) {
        let now = state.withLock { state -> Bool in
            if state.done { return true }
            state.cleanup = cleanup
            return false
        }
        if now { cleanup() }
    }

    func finish(_ result: Result<T, any Error>) {
        let (continuation, cleanup) = state.withLock { state -> (CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?) in
            guard !state.done else { return (nil, nil) }
            state.done = true
            if state.continuation == nil { state.early = result }
            defer { state.continuation = nil; state.cleanup = nil }
            return (state.continuation, state.cleanup)
        }
        continuation?.resume(with: result)
        cleanup?()
    }
}

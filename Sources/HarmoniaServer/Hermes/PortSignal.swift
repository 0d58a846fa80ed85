import Synchronization

/// The port the server bound, for whoever needs it before it is known: with `--port 0`
/// Harmonia cannot tell Hermes its endpoint (nor its tools' endpoints) until the socket
/// listens. Any number of tasks may wait: component registration and tool publication both do.
final class PortSignal: Sendable {
    private struct State {
        var port: Int?
        var waiters: [AsyncStream<Int>.Continuation] = []
    }

    private let state = Mutex(State())

    /// Records the bound port (once) and wakes every waiter.
    func set(_ port: Int) {
        let waiters = state.withLock { state -> [AsyncStream<Int>.Continuation] in
            guard state.port == nil else { return [] }
            state.port = port
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters {
            waiter.yield(port)
            waiter.finish()
        }
    }

    /// The port, once set; throws `CancellationError` if the waiting task is canceled first
    /// (the server never listened).
    func value() async throws -> Int {
        let (stream, continuation) = AsyncStream<Int>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let known = state.withLock { state -> Int? in
            if let port = state.port { return port }
            state.waiters.append(continuation)
            return nil
        }
        if let known { return known }
        for await port in stream { return port }
        throw CancellationError()
    }
}

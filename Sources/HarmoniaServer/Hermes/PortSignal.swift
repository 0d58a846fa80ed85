/// The port the server bound, for whoever needs it before it is known: with `--port 0`
/// Harmonia cannot tell Hermes its endpoint until the socket listens.
final class PortSignal: Sendable {
    private let stream: AsyncStream<Int>
    private let continuation: AsyncStream<Int>.Continuation

    init() {
        (stream, continuation) = AsyncStream<Int>.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Records the bound port (once).
    func set(_ port: Int) {
        continuation.yield(port)
        continuation.finish()
    }

    /// Waits for the port; throws `CancellationError` if cancelled first. One caller only
    /// (the registration service).
    func value() async throws -> Int {
        for await port in stream { return port }
        throw CancellationError()
    }
}

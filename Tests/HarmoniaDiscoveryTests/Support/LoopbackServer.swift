import HarmoniaCore
import Hummingbird
import Logging

/// Starts Hummingbird applications on 127.0.0.1 for the doubles.
enum LoopbackServer {
    /// Serves `router` on `port` (0: any free one); returns the bound port and the task
    /// running the server (cancel it to stop).
    static func start(port: Int, router: Router<BasicRequestContext>, name: String) async throws
        -> (port: Int, task: Task<Void, any Error>)
    {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: name)
        logger.logLevel = .critical
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: name),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? port)
                continuation.finish()
            },
            logger: logger)
        let task = Task {
            defer { continuation.finish() }
            try await app.runService(gracefulShutdownSignals: [])
        }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next() else {
            _ = try await task.value
            throw HarmoniaError(.invalidState, "\(name) did not start on port \(port)")
        }
        return (bound, task)
    }
}

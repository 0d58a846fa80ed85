import HarmoniaCore
import Hummingbird
import Logging
import ServiceLifecycle

/// Starts Hummingbird applications on 127.0.0.1 for the doubles.
enum LoopbackServer {
    /// A server `start` started: its port, and the way to stop it.
    struct Running: Sendable {
        let port: Int
        fileprivate let group: ServiceGroup
        fileprivate let task: Task<Void, any Error>

        /// Stops serving the way SIGTERM would: the socket closes, requests under way finish.
        /// Never by cancelling the server's task: cancelling a Hummingbird server while it
        /// accepts a connection traps in NIO ("Deinited NIOAsyncWriter without calling
        /// finish()"), and clients (heartbeats, discovery polls) keep connecting while a
        /// double goes down; on a loaded machine that crashed a whole test run.
        func stop() async {
            await group.triggerGracefulShutdown()
            _ = try? await task.value
        }
    }

    /// Serves `router` on `port` (0: any free one) until `stop()`.
    static func start(port: Int, router: Router<BasicRequestContext>, name: String) async throws -> Running {
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
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next() else {
            _ = try await task.value
            throw HarmoniaError(.invalidState, "\(name) did not start on port \(port)")
        }
        return Running(port: bound, group: group, task: task)
    }
}

import Foundation
import Logging
import ServiceLifecycle
import Testing

@testable import HarmoniaServer

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

struct HarmoniaServerRunnerTests {
    /// The runner opens the store in the data directory, recovers, binds port 0, announces
    /// the real port in the exact format scripts parse, and serves on it.
    @Test(.timeLimit(.minutes(1)))
    func announcesTheBoundPortAndServes() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harmonia-runner-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let configuration = HarmoniaConfiguration(port: 0, dataDirectory: directory, logLevel: .warning)
        var logger = Logger(label: "harmonia.test")
        logger.logLevel = .warning

        let (lines, continuation) = AsyncStream.makeStream(of: String.self)
        let group = ServiceGroup(
            configuration: .init(
                services: [RunnerService(configuration: configuration, logger: logger) { continuation.yield($0) }],
                logger: logger))
        let server = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        let line = try #require(await lines.first { _ in true })
        let prefix = "harmonia listening on http://127.0.0.1:"
        #expect(line.hasPrefix(prefix))
        let port = try #require(Int(line.dropFirst(prefix.count)))
        #expect(port > 0)
        #expect(FileManager.default.fileExists(atPath: directory + "/harmonia.sqlite"))

        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/health")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let health = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(health?["port"] as? Int == port)
        #expect(health?["status"] as? String == "healthy")

        // A graceful shutdown, as SIGTERM would start: cancelling a Hummingbird server while a
        // connection is being accepted traps in NIO ("Deinited NIOAsyncWriter without calling
        // finish()"), which crashed a whole test run on a loaded machine.
        await group.triggerGracefulShutdown()
        try await server.value
    }
}

/// The runner as a service of the test's own group: its group follows the parent's graceful
/// shutdown, so the test can stop it the way a signal would, without cancelling it.
private struct RunnerService: Service {
    let configuration: HarmoniaConfiguration
    let logger: Logger
    let announce: @Sendable (String) -> Void

    func run() async throws {
        try await HarmoniaServerRunner.run(configuration, logger: logger, announce: announce)
    }
}

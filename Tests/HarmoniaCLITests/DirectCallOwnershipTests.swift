import Foundation
import HarmoniaClient
import NIOHTTP1
import Testing

/// A direct action call (`POST /components/{name}/actions/{action}`) is owned: canceled when
/// its client disconnects and at shutdown, so a stuck call cannot hold a SIGTERM past the
/// grace period (issue "adapters can't take Harmonia down", build item 3). Against the real
/// binary with the example C adapter, whose `never` ignores cancels and `wait` ends on one.
@Suite(.timeLimit(.minutes(3)))
struct DirectCallOwnershipTests {
    static let gracePeriod = 6.0

    /// A server with the example C adapter and a short grace period.
    static func server(_ base: TemporaryDirectory) async throws -> ServerProcess {
        let plugins = try PluginsCLITests.pluginDirectory(base)
        _ = try await CAdapter.build(CAdapter.example, into: plugins, name: "libexample.so")
        let config = try base.write(
            "harmonia.yaml",
            """
            plugins:
              directories: [\(plugins)]
            components:
              example: {}
            engine:
              shutdown_grace_period: \(gracePeriod)
            """)
        return try await ServerProcess(
            binary: try CLITests.binary(), dataDirectory: base.path + "/data", extraArguments: ["--config", config])
    }

    @Test("SIGTERM with a stuck direct call (a plugin that never completes, even canceled) exits 0 within the grace period")
    func sigtermWithStuckDirectCall() async throws {
        let base = try TemporaryDirectory(prefix: "harmonia-direct-call")
        defer { base.remove() }
        let server = try await Self.server(base)
        defer { server.kill() }
        let client = HarmoniaClient(baseURL: server.baseURL, requestTimeout: .seconds(120))
        let call = Task { () -> Int? in
            do {
                _ = try await client.send(.POST, "/api/v1/components/example/actions/never", body: [:])
                return 200
            } catch let error as HarmoniaClientError {
                return error.status
            } catch {
                return nil
            }
        }
        defer { call.cancel() }
        try await pollUntil("the direct call to reach the plugin", timeout: .seconds(30)) {
            server.child.stderr.text.contains("running action directly")
        }
        let clock = ContinuousClock()
        let signaled = clock.now
        server.child.send(SIGTERM)
        let status = try await server.child.waitForExit(timeout: .seconds(60))
        let took = clock.now - signaled
        #expect(status == 0, "\(server.child.stderr.text.suffix(2000))")
        #expect(took < .seconds(Self.gracePeriod), "SIGTERM took \(took) with a stuck direct call (grace \(Self.gracePeriod) s)")
        // The client read why, unless the connection closed first.
        let answered = await call.value
        #expect(answered == 503 || answered == nil, "the client got \(String(describing: answered))")
        #expect(server.child.stderr.text.contains("direct action call canceled"), "\(server.child.stderr.text.suffix(2000))")
    }

    @Test("a direct call is canceled when its client disconnects")
    func canceledWhenClientDisconnects() async throws {
        let base = try TemporaryDirectory(prefix: "harmonia-direct-call")
        defer { base.remove() }
        let server = try await Self.server(base)
        defer { server.kill() }
        let port = try #require(URL(string: server.baseURL)?.port)
        let connection = try SilentConnection(port: port)
        defer { connection.close() }
        connection.send(
            "POST /api/v1/components/example/actions/wait HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
        try await pollUntil("the direct call to reach the plugin", timeout: .seconds(30)) {
            server.child.stderr.text.contains("running action directly")
        }
        connection.close()
        // `wait` ends only when canceled: the log line says the disconnect did it.
        try await pollUntil("the call to be canceled for the disconnect", timeout: .seconds(30)) {
            server.child.stderr.text.contains("direct action call canceled")
        }
        #expect(server.child.stderr.text.contains("client_disconnected"), "\(server.child.stderr.text.suffix(2000))")
        #expect(server.child.isRunning)
    }
}

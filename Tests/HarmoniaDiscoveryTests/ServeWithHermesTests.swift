import AsyncHTTPClient
import Foundation
import HarmoniaCore
import HarmoniaTestSupport
import Testing

/// The real `harmonia serve --hermes-url` against the Hermes double: it registers its bound
/// port, heartbeats with the token, reads the registry, reports `registered` in `/health`,
/// and unregisters on SIGTERM before exiting 0.
@Suite(.timeLimit(.minutes(1)))
struct ServeWithHermesTests {
    @Test func serveRegistersReportsItInHealthAndUnregistersOnSIGTERM() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harmonia-serve-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await withHermes { hermes in
            let server = try HarmoniaSubprocess(
                arguments: ["serve", "--port", "0", "--data-dir", directory.path, "--hermes-url", hermes.url],
                environment: ["HARMONIA_HERMES_HEARTBEAT_INTERVAL": "0.05", "HARMONIA_HERMES_POLL_INTERVAL": "0.05"])
            defer { server.kill() }
            await eventually("the server listens") { server.port != nil || !server.isRunning }
            let port = try #require(server.port, "harmonia serve did not start")

            await eventually("registered and heartbeating") {
                hermes.requests("/api/heartbeat").contains { $0.status == 200 }
            }
            let entry = try #require(hermes.entry(id: "harmonia"))
            #expect(entry.endpoint == "http://localhost:\(port)")
            #expect(entry.type == "harmonia" && entry.name == "harmonia")
            #expect(!hermes.requests("/api/components").isEmpty, "discovery polls the registry")
            try await eventually("/health says registered") { try await Self.health(port)["registered"] == true }

            server.terminate()
            await eventually("the server exits") { !server.isRunning }
            #expect(server.exitStatus == 0)
            let unregister = try #require(hermes.requests("/api/unregister").last)
            #expect(unregister.status == 200 && unregister.token == entry.token)
            #expect(hermes.entries.isEmpty)
        }
    }

    static func health(_ port: Int) async throws -> JSONValue {
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(port)/health"), timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 1 << 16)
        return try JSONValue.parse(Array(body.readableBytesView))
    }
}

import AsyncHTTPClient
import Foundation
import HarmoniaCore
import HarmoniaTestSupport
import NIOCore
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
            // 200 means the token was the current one (the double refuses others). Not
            // necessarily the first entry's: a heartbeat that timed out on a loaded machine
            // makes the next contact a registration, with a new token.
            #expect(unregister.status == 200 && unregister.token != nil)
            #expect(hermes.entries.isEmpty)
        }
    }

    /// The real Hermes forgets its registry on a restart but keeps accepting the old token,
    /// so heartbeats keep getting 200: only the registry, read on every discovery poll,
    /// shows that Harmonia must register again. Heartbeats are an hour apart here, so the
    /// poll alone must bring Harmonia back, within about one poll interval.
    @Test func serveRegistersAgainWhenARestartedHermesNoLongerListsIt() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harmonia-serve-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let pollSeconds = 1.0
        try await withHermes { hermes in
            let server = try HarmoniaSubprocess(
                arguments: ["serve", "--port", "0", "--data-dir", directory.path, "--hermes-url", hermes.url],
                environment: [
                    "HARMONIA_HERMES_HEARTBEAT_INTERVAL": "3600", "HARMONIA_HERMES_POLL_INTERVAL": "\(pollSeconds)",
                ])
            defer { server.kill() }
            await eventually("the server listens") { server.port != nil || !server.isRunning }
            let port = try #require(server.port, "harmonia serve did not start")
            try await eventually("/health says registered") { try await Self.health(port)["registered"] == true }
            let firstToken = try #require(hermes.entry(id: "harmonia")?.token)

            try await hermes.restart()
            #expect(hermes.entries.isEmpty)
            let restarted = ContinuousClock.now
            // The old token is still good: a heartbeat with it gets 200 and tells nothing.
            #expect(hermes.heartbeat(token: firstToken, body: ["component_id": "harmonia"]).isOK)

            await eventually("listed again", timeout: .seconds(30)) { hermes.entry(id: "harmonia") != nil }
            let relisted = ContinuousClock.now - restarted
            // One poll interval, plus the answer times of a loaded machine.
            #expect(relisted < .seconds(pollSeconds) + .seconds(3), "listed again after \(relisted)")
            try await eventually("/health says registered again") { try await Self.health(port)["registered"] == true }
            #expect(hermes.requests("/api/register").count == 2)

            server.terminate()
            await eventually("the server exits") { !server.isRunning }
            #expect(server.exitStatus == 0)
        }
    }

    static func health(_ port: Int) async throws -> JSONValue {
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(port)/health"), timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 1 << 16)
        return try JSONValue.parse(Array(body.readableBytesView))
    }
}

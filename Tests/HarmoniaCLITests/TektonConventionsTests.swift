import AsyncHTTPClient
import Foundation
import HarmoniaCore
import NIOCore
import NIOHTTP1
import Testing

/// How Tekton's launcher, status tool and stop script treat a component, against the real
/// `harmonia serve`: `HARMONIA_HOST=0.0.0.0` (set by Tekton's docs) must come up healthy,
/// `/ready` carries a boolean `ready`, and `POST /shutdown` stops the server like SIGTERM.
@Suite(.timeLimit(.minutes(2)))
struct TektonConventionsTests {
    /// Without a key, "every interface" is narrowed to loopback, loudly: Tekton on this
    /// machine works, other machines cannot reach an unauthenticated API.
    @Test func wildcardHostWithoutKeyServesLoopbackAndShutdownStopsIt() async throws {
        let dataDirectory = try TemporaryDirectory()
        defer { dataDirectory.remove() }
        let server = try await ServerProcess(
            binary: try CLITests.binary(), dataDirectory: dataDirectory.path, environment: ["HARMONIA_HOST": "0.0.0.0"])
        defer { server.kill() }
        #expect(server.baseURL.hasPrefix("http://127.0.0.1:"), "\(server.baseURL)")
        #expect(server.child.stderr.text.contains("binding 127.0.0.1 only"), "\(server.child.diagnostics)")

        let ready = try await Self.request("GET", server.baseURL + "/ready")
        #expect(ready.status == 200)
        #expect(ready.body["ready"] == true)

        let shutdown = try await Self.request("POST", server.baseURL + "/shutdown")
        #expect(shutdown.status == 202, "\(shutdown.body)")
        #expect(shutdown.body["status"] == "shutting_down")
        let status = try await server.child.waitForExit(timeout: .seconds(20))
        #expect(status == 0, "\(server.child.diagnostics)")
    }

    /// With a key, the wildcard is bound as asked, and `/shutdown` wants the key like every
    /// route but the probes (Tekton's stop script then falls back to SIGTERM).
    @Test func wildcardHostWithKeyBindsEveryInterfaceAndShutdownNeedsTheKey() async throws {
        let dataDirectory = try TemporaryDirectory()
        defer { dataDirectory.remove() }
        let server = try await ServerProcess(
            binary: try CLITests.binary(), dataDirectory: dataDirectory.path,
            environment: ["HARMONIA_HOST": "0.0.0.0", "HARMONIA_API_KEYS": "tekton-key"])
        defer { server.kill() }
        #expect(server.baseURL.hasPrefix("http://0.0.0.0:"), "\(server.baseURL)")
        let port = try #require(URLComponents(string: server.baseURL)?.port)
        let local = "http://127.0.0.1:\(port)"

        #expect(try await Self.request("GET", local + "/health").status == 200)
        let refused = try await Self.request("POST", local + "/api/shutdown")
        #expect(refused.status == 401)
        #expect(server.child.isRunning)
        let accepted = try await Self.request("POST", local + "/api/shutdown", headers: ["X-API-Key": "tekton-key"])
        #expect(accepted.status == 202)
        let status = try await server.child.waitForExit(timeout: .seconds(20))
        #expect(status == 0, "\(server.child.diagnostics)")
    }

    /// A specific address of another interface still needs a key: only the wildcard that
    /// Tekton's docs set is narrowed.
    @Test func aSpecificRemoteAddressWithoutKeyIsStillRefused() async throws {
        let dataDirectory = try TemporaryDirectory()
        defer { dataDirectory.remove() }
        let child = try ChildProcess(
            binary: try CLITests.binary(), arguments: ["serve", "--port", "0", "--data-dir", dataDirectory.path],
            environment: ["HARMONIA_HOST": "192.0.2.10"])
        defer { child.kill() }
        let status = try await child.waitForExit(timeout: .seconds(20))
        #expect(status != 0)
        #expect(child.stderr.text.contains("without an API key"), "\(child.diagnostics)")
    }

    static func request(
        _ method: String, _ url: String, headers: [String: String] = [:]
    ) async throws -> (status: Int, body: JSONValue) {
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        let body = (try? JSONValue.parse(Array(bytes.readableBytesView))) ?? .null
        return (Int(response.status.code), body)
    }
}

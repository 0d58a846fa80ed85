import HTTPTypes
import HarmoniaAPIModels
import HarmoniaCore
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HarmoniaServer

/// What a browser on Tekton's UI (Hephaestus, `http://localhost:8080`) does when it calls
/// Harmonia: a preflight for anything that is not a simple request, then the request with
/// its `Origin`; the page may read the answer only if it names that origin.
struct CORSMiddlewareTests {
    static let hephaestus = "http://localhost:8080"

    static func preflight(_ method: String, headers: String = "content-type, x-api-key", origin: String = hephaestus) -> HTTPFields {
        [.origin: origin, .accessControlRequestMethod: method, .accessControlRequestHeaders: headers]
    }

    @Test func aPreflightAndThenTheRequestFromHephaestusSucceed() async throws {
        try await TestServer.with { client, _ in
            let preflight = try await client.send(.options, "/api/v1/workflows", headers: Self.preflight("POST"))
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == Self.hephaestus)
            #expect(preflight.headers[.accessControlAllowMethods]?.contains("POST") == true)
            #expect(preflight.headers[.accessControlAllowHeaders] == "content-type, x-api-key")
            #expect(preflight.headers[.accessControlMaxAge] != nil)

            let created = try await client.send(
                .post, "/api/v1/workflows", json: Fixtures.noop(), headers: [.origin: Self.hephaestus])
            #expect(created.status == .created)
            #expect(created.headers[.accessControlAllowOrigin] == Self.hephaestus)
            #expect(created.headers[values: .vary].contains("Origin"))

            // 127.0.0.1:8080 is the same UI reached by address; both are allowed by default.
            let listed = try await client.send(.get, "/api/v1/workflows", headers: [.origin: "http://127.0.0.1:8080"])
            #expect(listed.status == .ok)
            #expect(listed.headers[.accessControlAllowOrigin] == "http://127.0.0.1:8080")
        }
    }

    @Test func anOriginNotAllowedGetsNoCORSHeaders() async throws {
        try await TestServer.with { client, _ in
            let evil = "http://evil.example:8080"
            let preflight = try await client.send(.options, "/api/v1/workflows", headers: Self.preflight("POST", origin: evil))
            _ = try preflight.expectError(.forbidden, code: "forbidden")
            #expect(preflight.headers[.accessControlAllowOrigin] == nil)
            #expect(preflight.headers[.accessControlAllowMethods] == nil)

            // The request itself is served (the browser, not the server, keeps it from the
            // page), but nothing in it lets the page read it.
            let listed = try await client.send(.get, "/api/v1/workflows", headers: [.origin: evil])
            #expect(listed.status == .ok)
            #expect(listed.headers[.accessControlAllowOrigin] == nil)
            // Another port of localhost is another origin.
            let otherPort = try await client.send(.get, "/api/v1/workflows", headers: [.origin: "http://localhost:8081"])
            #expect(otherPort.headers[.accessControlAllowOrigin] == nil)
        }
    }

    /// Preflights carry no credentials; the request after them still needs its key, and a
    /// page can read the 401 that says so.
    @Test func keysAreStillRequiredButPreflightsAndErrorsWork() async throws {
        try await TestServer.with(apiKeys: ["secret-key"]) { client, _ in
            let preflight = try await client.send(.options, "/api/v1/executions", headers: Self.preflight("GET"))
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == Self.hephaestus)

            let refused = try await client.send(.get, "/api/v1/executions", headers: [.origin: Self.hephaestus])
            _ = try refused.expectError(.unauthorized, code: "unauthorized")
            #expect(refused.headers[.accessControlAllowOrigin] == Self.hephaestus)

            let allowed = try await client.send(
                .get, "/api/v1/executions", headers: [.origin: Self.hephaestus, .apiKey: "secret-key"])
            #expect(allowed.status == .ok)
            #expect(allowed.headers[.accessControlAllowOrigin] == Self.hephaestus)
        }
    }

    /// The live SSE stream and the probes answer cross-origin too.
    @Test func streamsAndProbesCarryTheHeaders() async throws {
        try await TestServer.with { client, _ in
            let workflow = try await client.createWorkflow(Fixtures.noop())
            let id = try await client.startExecution(workflow.id)
            _ = try await client.waitForExecution(id)
            let stream = try await client.send(.get, "/events/executions/\(id)", headers: [.origin: Self.hephaestus])
            #expect(stream.status == .ok)
            #expect(stream.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            #expect(stream.headers[.accessControlAllowOrigin] == Self.hephaestus)
            #expect(stream.text.contains("workflow_completed"))
            for path in ["/health", "/ready"] {
                let response = try await client.send(.get, path, headers: [.origin: Self.hephaestus])
                #expect(response.headers[.accessControlAllowOrigin] == Self.hephaestus, "\(path)")
            }
        }
    }

    @Test func originsAreConfigurable() async throws {
        try await TestServer.with(corsOrigins: ["https://ui.example.org"]) { client, _ in
            let allowed = try await client.send(.get, "/health", headers: [.origin: "https://ui.example.org"])
            #expect(allowed.headers[.accessControlAllowOrigin] == "https://ui.example.org")
            let hephaestus = try await client.send(.get, "/health", headers: [.origin: Self.hephaestus])
            #expect(hephaestus.headers[.accessControlAllowOrigin] == nil)
        }
        try await TestServer.with(corsOrigins: ["*"]) { client, _ in
            let any = try await client.send(.get, "/health", headers: [.origin: "http://anything:1234"])
            #expect(any.headers[.accessControlAllowOrigin] == "http://anything:1234")
        }
        try await TestServer.with(corsOrigins: []) { client, _ in
            let none = try await client.send(.get, "/health", headers: [.origin: Self.hephaestus])
            #expect(none.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test func originSettingsAreCheckedWhenLoaded() throws {
        #expect(
            try ConfigurationParsing.corsOrigins(["http://LocalHost:8080", " * "], key: "k") == ["http://localhost:8080", "*"])
        #expect(try ConfigurationParsing.corsOrigins(["none"], key: "k") == [])
        for bad in ["localhost:8080", "http://localhost:8080/", "ftp://host", "http://", "http://host/path"] {
            #expect(throws: ConfigurationError.self, "\(bad)") { try ConfigurationParsing.corsOrigins([bad], key: "k") }
        }
        let loaded = try HarmoniaConfiguration.load(
            file: nil, environment: ["HARMONIA_CORS_ORIGINS": "http://a:1, http://b:2"], overrides: .init())
        #expect(loaded.corsOrigins == ["http://a:1", "http://b:2"])
        #expect(try HarmoniaConfiguration.load(file: nil, environment: [:], overrides: .init()).corsOrigins
            == HarmoniaConfiguration.defaultCORSOrigins)
    }
}

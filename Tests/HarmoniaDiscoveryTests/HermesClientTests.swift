import Foundation
import HarmoniaCore
import NIOHTTP1
import Testing

@testable import HarmoniaDiscovery

/// The client against the double: tekton.md's calls, answers and failure codes.
@Suite(.timeLimit(.minutes(1)))
struct HermesClientTests {
    let registration = HermesRegistration.harmonia(endpoint: "http://localhost:8007", version: "0.1.0", dataDirectory: "/d")

    @Test func registerKeepsTheTokenExactly() async throws {
        try await withHermes { hermes in
            let client = HermesClient(url: hermes.url)
            let grant = try await client.register(registration)
            #expect(grant.componentID == "harmonia")
            #expect(grant.token.rawValue == hermes.entry(id: "harmonia")?.token)
            #expect(grant.token.rawValue.contains("  ") && grant.token.rawValue.contains(#"\""#))
            try await client.heartbeat(componentID: "harmonia", token: grant.token)
            #expect(hermes.requests("/api/heartbeat").last?.token == grant.token.rawValue)
            #expect(hermes.requests("/api/heartbeat").last?.body == .object(["component_id": "harmonia", "status": .emptyObject]))
        }
    }

    @Test func badForeignAndExpiredTokensAre401() async throws {
        try await withHermes { hermes in
            let client = HermesClient(url: hermes.url)
            let grant = try await client.register(registration)
            // A client that "normalises" the token's runs of spaces is no longer authenticated.
            let collapsed = HermesToken(grant.token.rawValue.replacingOccurrences(of: "  ", with: " "))
            await #expect(throws: HarmoniaError(.hermesUnauthorized, "")) {
                try await client.heartbeat(componentID: "harmonia", token: collapsed)
            }
            let engram = hermes.registerComponent(name: "engram", endpoint: "http://localhost:8000")
            let engramToken = try #require(hermes.entry(id: engram)?.token)
            await #expect(throws: HarmoniaError(.hermesUnauthorized, "")) {
                try await client.heartbeat(componentID: "harmonia", token: HermesToken(engramToken))
            }
            hermes.setTokenLifetime(.zero)
            let expiring = try await client.register(registration)
            await #expect(throws: HarmoniaError(.hermesUnauthorized, "")) {
                try await client.heartbeat(componentID: "harmonia", token: expiring.token)
            }
        }
    }

    @Test func heartbeatWithoutTheHeaderIs422() async throws {
        try await withHermes { hermes in
            let client = HermesClient(url: hermes.url)
            _ = try await client.register(registration)
            let body: JSONValue = .object(["component_id": "harmonia", "status": .emptyObject])
            await #expect(throws: HarmoniaError(.hermesRejected, "")) {
                _ = try await client.send(.POST, "/api/heartbeat", json: body)
            }
            #expect(hermes.requests("/api/heartbeat").last?.status == 422)
        }
    }

    @Test func unregisterUsesTheQueryParameterAndToken() async throws {
        try await withHermes { hermes in
            let client = HermesClient(url: hermes.url)
            let grant = try await client.register(registration)
            try await client.unregister(componentID: "harmonia", token: grant.token)
            let request = try #require(hermes.requests("/api/unregister").last)
            #expect(request.query == "component_id=harmonia")
            #expect(request.token == grant.token.rawValue)
            #expect(hermes.entries.isEmpty)
        }
    }

    @Test func componentsReadsTektonsShapeAndQueryIsCamelCase() async throws {
        try await withHermes { hermes in
            let id = hermes.registerComponent(name: "engram", endpoint: "http://localhost:8000")
            #expect(id.hasPrefix("engram-engram-") && id.count == "engram-engram-".count + 8)
            let client = HermesClient(url: hermes.url + "/")
            let components = try await client.components()
            #expect(components.map(\.name) == ["engram"])
            #expect(components.first?.type == nil && components.first?.status == "unknown")
            #expect(components.first?.lastHeartbeat == nil && components.first?.registeredAt != nil)
            #expect(try await client.component(named: "engram")?.componentID == id)
            #expect(try await client.component(named: "nobody") == nil)
            let query = try await client.query()
            #expect(query.map(\.componentID) == [id])
            #expect(hermes.requests("/api/query").last?.body?.objectValue?["healthy_only"] == .bool(false))
            #expect(await client.isHealthy())
        }
    }

    @Test func unreachableHermesIsAClearError() async throws {
        let port = try await HermesDouble.unusedPort()
        // A 10-minute timeout: a client that waited for it, instead of failing at once, could
        // not meet the bound below, which a loaded machine still meets easily.
        let client = HermesClient(url: "http://127.0.0.1:\(port)", timeout: .seconds(600))
        let started = ContinuousClock.now
        await #expect(throws: HarmoniaError(.hermesUnreachable, "")) { try await client.components() }
        // A refused connection fails at once; the callers' own backoff decides when to retry.
        #expect(ContinuousClock.now - started < .seconds(30))
        #expect(await !client.isHealthy())
    }
}

import HarmoniaAPIModels
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HarmoniaServer

struct APIKeyMiddlewareTests {
    @Test func keysAreRequiredExceptOnProbes() async throws {
        try await TestServer.with(apiKeys: ["first-key", "second-key"]) { client, _ in
            for path in ["/api/v1/workflows", "/api/workflows", "/api/v1/status", "/discovery", "/", "/unknown"] {
                let response = try await client.send(.get, path)
                let error = try response.expectError(.unauthorized, code: "unauthorized")
                #expect(!error.detail.contains("first-key"))
                #expect(response.headers[.wwwAuthenticate] != nil)
            }
            #expect(try await client.send(.get, "/health").status == .ok)
            #expect(try await client.send(.get, "/ready").status == .ok)

            let bearer = try await client.send(.get, "/api/v1/workflows", headers: [.authorization: "Bearer first-key"])
            #expect(bearer.status == .ok)
            let apiKey = try await client.send(.get, "/api/workflows", headers: [.apiKey: "second-key"])
            #expect(apiKey.status == .ok)
            let lowercaseScheme = try await client.send(.get, "/api/v1/status", headers: [.authorization: "bearer second-key"])
            #expect(lowercaseScheme.status == .ok)

            for headers: HTTPFields in [
                [.authorization: "Bearer wrong"], [.authorization: "Bearer first-ke"], [.authorization: "Bearer first-keyX"],
                [.authorization: "Basic first-key"], [.authorization: "first-key"], [.apiKey: ""], [.apiKey: "FIRST-KEY"],
            ] {
                try await client.send(.get, "/api/v1/workflows", headers: headers).expectError(.unauthorized, code: "unauthorized")
            }

            // With a key, everything works as usual.
            let created = try await client.send(
                .post, "/api/v1/workflows", json: Fixtures.noop(), headers: [.apiKey: "first-key"])
            #expect(created.status == .created)
        }
    }

    @Test func constantTimeComparison() {
        typealias M = APIKeyMiddleware<HarmoniaRequestContext>
        #expect(M.constantTimeEquals(Array("abc".utf8), Array("abc".utf8)))
        #expect(!M.constantTimeEquals(Array("abc".utf8), Array("abd".utf8)))
        #expect(!M.constantTimeEquals(Array("abc".utf8), Array("abcd".utf8)))
        #expect(!M.constantTimeEquals(Array("".utf8), Array("a".utf8)))
        #expect(!M.constantTimeEquals(Array(repeating: 1, count: 256), Array(repeating: 1, count: 0)))
        #expect(M.constantTimeEquals([], []))
    }
}

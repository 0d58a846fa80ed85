import HTTPTypes
import HummingbirdTesting
import Testing

@testable import HarmoniaServer

/// The methods a 405 names in `Allow` are those of the route the router really matches.
struct RouteCatalogTests {
    @Test func aLiteralSegmentWinsOverACapture() {
        for prefix in apiPrefixes {
            // `/templates/import` is the import route (POST) only, not `/templates/{id}`.
            #expect(RouteCatalog.allowedMethods(for: "\(prefix)/templates/import") == ["POST"])
            #expect(Set(RouteCatalog.allowedMethods(for: "\(prefix)/templates/some-id")) == ["GET", "PUT", "DELETE"])
            #expect(RouteCatalog.allowedMethods(for: "\(prefix)/components/reload") == ["POST"])
        }
        #expect(RouteCatalog.allowedMethods(for: "/no/such/path") == [])
    }

    @Test func wrongMethodOnImportNamesOnlyPost() async throws {
        try await TestServer.with { client, _ in
            let response = try await client.send(.get, "/api/v1/templates/import")
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.allow] == "POST")
        }
    }
}

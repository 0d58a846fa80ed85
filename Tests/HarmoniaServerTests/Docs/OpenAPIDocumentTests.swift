import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import HarmoniaEngine
import HarmoniaStorageSQLite
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import HarmoniaServer

/// The OpenAPI document (`Resources/openapi/openapi.json`, written by
/// `tools/openapi/generate.py`) describes exactly the routes the router serves, and is served
/// at `/api/v1/openapi.json`, `/api/openapi.json` and `/openapi.json`. tools/contract runs
/// schemathesis with it against a real server for the bodies.
@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    static func document() throws -> JSONValue {
        let bytes = try #require(SchemaRoutes.openAPIDocument)
        return try JSONValue.parse(bytes.readableBytesView)
    }

    /// Every (METHOD path) pair of the document's `paths`.
    static func documentedOperations() throws -> Set<String> {
        let paths = try #require(try document()["paths"]?.objectValue)
        var operations: Set<String> = []
        for (path, item) in paths {
            for method in try #require(item.objectValue).keys {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        return operations
    }

    /// Every (METHOD path) pair the real router has registered, both prefixes included.
    static func routerOperations() async throws -> Set<String> {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harmonia-openapi-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("h.sqlite").path)
        try await store.migrate()
        let engine = Engine(store: store, adapters: AdapterRegistry([BuiltinAdapter()]), logger: Logger(label: "test"))
        let dependencies = RouteDependencies(
            store: store, engine: engine, runtime: ServerRuntime(host: "127.0.0.1", port: 0), maxBodyBytes: 1 << 20)
        let router = buildRouter(dependencies: dependencies, apiKeys: [])
        return Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" })
    }

    @Test("the document lists exactly the router's routes, under both prefixes")
    func documentMatchesRouter() async throws {
        let documented = try Self.documentedOperations()
        let served = try await Self.routerOperations()
        #expect(served.subtracting(documented).sorted() == [], "served but not in the document")
        #expect(documented.subtracting(served).sorted() == [], "in the document but not served")
        // Both prefixes really are there (the comparison above would pass on an empty router).
        #expect(served.contains("POST /api/v1/workflows") && served.contains("POST /api/workflows"))
    }

    @Test("the route catalog (GET /, /discovery) agrees with the document")
    func catalogMatchesDocument() throws {
        let documented = try Self.documentedOperations()
        for route in RouteCatalog.all + RouteCatalog.streams {
            #expect(documented.contains("\(route.method) \(route.path)"), "\(route.method) \(route.path)")
        }
    }

    @Test("every operation has an id, a 2xx answer and described path parameters")
    func operationsAreComplete() throws {
        let paths = try #require(try Self.document()["paths"]?.objectValue)
        var ids: Set<String> = []
        for (path, item) in paths {
            let captures = path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
            for (method, operation) in try #require(item.objectValue) {
                let id = try #require(operation["operationId"]?.stringValue, "\(method) \(path)")
                #expect(ids.insert(id).inserted, "duplicate operationId \(id)")
                let responses = try #require(operation["responses"]?.objectValue, "\(method) \(path)")
                #expect(responses.keys.contains { $0.hasPrefix("2") || $0 == "101" }, "\(method) \(path)")
                let parameters = operation["parameters"]?.arrayValue ?? []
                let named = Set(parameters.filter { $0["in"] == "path" }.compactMap { $0["name"]?.stringValue })
                #expect(named == Set(captures), "\(method) \(path)")
            }
        }
    }

    @Test("served raw as JSON at /openapi.json and under both prefixes")
    func served() async throws {
        try await TestServer.with { client, _ in
            for path in ["/openapi.json"] + apiPrefixes.map { "\($0)/openapi.json" } {
                let response = try await client.send(.get, path)
                #expect(response.status == .ok, "\(path)")
                #expect(response.headers[.contentType] == "application/json")
                let document = try response.json()
                #expect(document["openapi"] == "3.1.0")
                #expect(document.value(atPath: "info.version")?.stringValue == HarmoniaVersion.current)
            }
        }
    }
}

import Foundation
import HarmoniaClient
import HarmoniaCore
import HarmoniaTestSupport
import HarmoniaEngine
import HarmoniaServer
import HarmoniaStorageSQLite
import Hummingbird
import HummingbirdTesting
import Logging

/// A real Harmonia for a test: SQLite in a fresh temporary directory, a real engine with
/// the built-in adapter and a `CountingAdapter` (component `counted`), and the application
/// under HummingbirdTesting. In `.live` mode it listens on a real port and `client` is a
/// `HarmoniaClient` talking to it over the network, like any user's.
struct LiveServer: Sendable {
    let store: SQLiteStore
    let engine: Engine
    let counter: CountingAdapter
    /// The raw HTTP client of the test framework.
    let http: any TestClientProtocol
    /// The Swift client, for `.live` mode only.
    let client: HarmoniaClient?

    /// Runs `body` against a fresh server; everything is removed afterwards.
    static func with<Value: Sendable>(
        mode: TestingSetup = .router, _ body: @Sendable (LiveServer) async throws -> Value
    ) async throws -> Value {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harmonia-client-test-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let configuration = HarmoniaConfiguration(
            host: "127.0.0.1", port: 0, dataDirectory: directory.path, logLevel: .warning, synchronous: .normal,
            engine: EngineConfiguration(shutdownGracePeriod: 1))
        let store = try SQLiteStore(
            path: configuration.databasePath, configuration: SQLiteStoreConfiguration(synchronous: .normal))
        try await store.migrate()
        var logger = Logger(label: "harmonia.client-test")
        logger.logLevel = .warning
        let counter = CountingAdapter()
        let engine = Engine(
            store: store, adapters: AdapterRegistry([BuiltinAdapter(), counter]), configuration: configuration.engine,
            logger: logger)
        try await engine.prepare()
        let app = buildApplication(configuration: configuration, store: store, engine: engine, logger: logger)
        return try await app.test(mode) { http in
            let client = http.port.map { HarmoniaClient(baseURL: "http://127.0.0.1:\($0)", requestTimeout: .seconds(20)) }
            return try await body(LiveServer(store: store, engine: engine, counter: counter, http: http, client: client))
        }
    }

    /// The Swift client; fails the test outside `.live` mode.
    var api: HarmoniaClient {
        get throws {
            guard let client else { throw HarmoniaError(.invalidState, "the Swift client needs a .live server") }
            return client
        }
    }
}

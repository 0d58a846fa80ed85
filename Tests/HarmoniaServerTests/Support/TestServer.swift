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

/// A real server for a test: a SQLite store in a fresh temporary directory, a real engine
/// with the built-in adapter (prepared, then run by the application's service group), and
/// the application under HummingbirdTesting. Nothing is mocked.
struct TestServer {
    let store: SQLiteStore
    let engine: Engine
    let directory: URL

    /// Runs `body` against a fresh server; the directory is removed afterwards.
    static func with<Value: Sendable>(
        apiKeys: [String] = [],
        corsOrigins: [String] = HarmoniaConfiguration.defaultCORSOrigins,
        maxBodyBytes: Int = HarmoniaConfiguration.defaultMaxBodyBytes,
        mode: TestingSetup = .router,
        environmentAllowlist: [String] = [],
        configure: @Sendable (inout HarmoniaConfiguration) -> Void = { _ in },
        _ body: @Sendable (any TestClientProtocol, TestServer) async throws -> Value
    ) async throws -> Value {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harmonia-server-test-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        var configuration = HarmoniaConfiguration(
            host: "127.0.0.1", port: 0, dataDirectory: directory.path, apiKeys: apiKeys, maxBodyBytes: maxBodyBytes,
            logLevel: .warning, synchronous: .normal, engine: EngineConfiguration(environmentAllowlist: environmentAllowlist, shutdownGracePeriod: 1))
        configuration.corsOrigins = corsOrigins
        configure(&configuration)
        let store = try SQLiteStore(
            path: configuration.databasePath, configuration: SQLiteStoreConfiguration(synchronous: .normal))
        try await store.migrate()
        var logger = Logger(label: "harmonia.test")
        logger.logLevel = .warning
        let engine = Engine(
            store: store, adapters: AdapterRegistry([BuiltinAdapter()]), configuration: configuration.engine, logger: logger)
        try await engine.prepare()
        let server = TestServer(store: store, engine: engine, directory: directory)
        let app = buildApplication(configuration: configuration, store: store, engine: engine, logger: logger)
        return try await app.test(mode) { client in try await body(client, server) }
    }
}

/// The two prefixes every business route is served under.
let apiPrefixes = ["/api/v1", "/api"]

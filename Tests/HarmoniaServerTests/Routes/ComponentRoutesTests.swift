import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import HarmoniaEngine
import HarmoniaPlugins
import HarmoniaStorageSQLite
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import HarmoniaServer

/// `/components`: the built-in component and real plugins loaded from a temporary plugin
/// directory (the adapters SwiftPM built next to the test bundle), actions and schemas, a
/// direct action run, reload picking up a newly copied file, and the 404s.
@Suite(.timeLimit(.minutes(3)))
struct ComponentRoutesTests {
    @Test func listsBuiltinAndLoadedPlugin() async throws {
        try await ComponentTestServer.with(plugins: ["libHarmoniaEcho.so"], components: ["echo": .init()]) { client, server in
            for prefix in apiPrefixes {
                let list = try await client.data(ComponentList.self, .get, "\(prefix)/components")
                let builtin = try #require(list.components.first { $0.name == "harmonia" })
                #expect(builtin.source == "builtin")
                #expect(builtin.available)
                #expect(builtin.actions.contains("echo"))
                let echo = try #require(list.components.first { $0.name == "echo" })
                #expect(echo.source == "config")
                #expect(echo.available)
                #expect(echo.pluginFile == server.pluginDirectory.appendingPathComponent("libHarmoniaEcho.so").path)
                #expect(echo.version == "1.0.0")
                #expect(echo.abiVersion?.hasPrefix("1.") == true)
                #expect(echo.actions.contains("echo"))
                #expect(list.directories == [server.pluginDirectory.path])
                #expect(list.refused.isEmpty)
            }
        }
    }

    @Test func actionsAndSchema() async throws {
        try await ComponentTestServer.with(plugins: ["libHarmoniaEcho.so"], components: ["echo": .init()]) { client, _ in
            let actions = try await client.data(ComponentActions.self, .get, "/api/v1/components/harmonia/actions")
            #expect(actions.component == "harmonia")
            #expect(actions.actions.map(\.name).contains("sleep"))
            let pluginActions = try await client.data(ComponentActions.self, .get, "/api/components/echo/actions")
            #expect(pluginActions.actions.map(\.name).contains("fetch"))
            let action = try await client.data(ActionDescriptor.self, .get, "/api/v1/components/echo/actions/echo")
            #expect(action.name == "echo")
            #expect(action.inputSchema.objectValue != nil)

            #expect(try await client.send(.get, "/api/v1/components/nope/actions").status == .notFound)
            #expect(try await client.send(.get, "/api/v1/components/echo/actions/nope").status == .notFound)
            #expect(try await client.send(.post, "/api/v1/components/nope/actions/echo", json: [:]).status == .notFound)
            #expect(try await client.send(.post, "/api/v1/components/harmonia/actions/nope", json: [:]).status == .notFound)
        }
    }

    @Test func runsActionsDirectly() async throws {
        try await ComponentTestServer.with(plugins: ["libHarmoniaEcho.so"], components: ["echo": .init()]) { client, _ in
            let builtin = try await client.data(
                ActionRunResult.self, .post, "/api/v1/components/harmonia/actions/echo", json: ["message": "hi"])
            #expect(builtin.output["result"] == "hi")
            let plugin = try await client.data(
                ActionRunResult.self, .post, "/api/v1/components/echo/actions/echo", json: ["message": "from the plugin"])
            #expect(plugin.output["result"] == "from the plugin")

            // An adapter's failure keeps its code: a plugin component's failure is a 502...
            let failed = try await client.send(
                .post, "/api/v1/components/echo/actions/fail", json: ["code": "upstream_broke", "retryable": false])
            #expect(failed.status == .badGateway, "\(failed.text)")
            #expect(try failed.json()["code"] == "upstream_broke")
            // ...the built-in component's a 422: it runs here, its failures come from the input.
            let asked = try await client.send(
                .post, "/api/v1/components/harmonia/actions/fail",
                json: ["message": "boom", "code": "upstream_broke", "retryable": false])
            #expect(asked.status == .unprocessableContent, "\(asked.text)")
            #expect(try asked.json()["code"] == "upstream_broke")
            let refused = try await client.send(
                .post, "/api/v1/components/harmonia/actions/fail",
                json: ["message": "bad", "code": "invalid_input", "retryable": false])
            #expect(refused.status == .unprocessableContent, "\(refused.text)")
        }
    }

    @Test func ergonLocalModeRunsHelloWorld() async throws {
        let ergon = ComponentConfiguration(options: ["local_mode": true, "allow_shell": true])
        try await ComponentTestServer.with(plugins: ["libHarmoniaErgon.so"], components: ["ergon": ergon]) { client, _ in
            let run = try await client.data(
                ActionRunResult.self, .post, "/api/v1/components/ergon/actions/execute_command",
                json: ["command": "echo Hello World"])
            #expect(run.output["result"] == "Hello World")
        }
    }

    @Test func reloadPicksUpANewlyCopiedPlugin() async throws {
        try await ComponentTestServer.with(plugins: [], components: ["echo": .init()]) { client, server in
            let before = try await client.data(ComponentList.self, .get, "/api/v1/components")
            let echoBefore = try #require(before.components.first { $0.name == "echo" })
            #expect(!echoBefore.available)
            #expect(try await client.send(.post, "/api/v1/components/echo/actions/echo", json: [:]).status == .notFound)

            let installed = try ComponentTestServer.install("libHarmoniaEcho.so", into: server.pluginDirectory)
            let report = try await client.data(ReloadReport.self, .post, "/api/v1/components/reload")
            #expect(report.loaded == [installed.path])
            #expect(report.componentsAdded == ["echo"])
            #expect(report.catalog.components.first { $0.name == "echo" }?.available == true)
            let run = try await client.data(
                ActionRunResult.self, .post, "/api/v1/components/echo/actions/echo", json: ["message": "reloaded"])
            #expect(run.output["result"] == "reloaded")

            // Nothing changed: nothing reported.
            let again = try await client.data(ReloadReport.self, .post, "/api/components/reload")
            #expect(again.loaded.isEmpty && again.removed.isEmpty && again.componentsAdded.isEmpty)
        }
    }

    @Test func refusedPluginIsListedWithItsReason() async throws {
        try await ComponentTestServer.with(plugins: [], components: [:]) { client, server in
            let file = try ComponentTestServer.install("libHarmoniaEcho.so", into: server.pluginDirectory)
            try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: file.path)
            let report = try await client.data(ReloadReport.self, .post, "/api/v1/components/reload")
            #expect(report.refused == [file.path])
            let refused = try #require(report.catalog.refused.first)
            #expect(refused.reason.contains("writable"), "\(refused.reason)")
            #expect(try await client.send(.get, "/health").status == .ok)
        }
    }
}

/// A server with a plugin catalog over a fresh plugin directory.
struct ComponentTestServer {
    let pluginDirectory: URL
    let catalog: ComponentCatalog

    static func with<Value: Sendable>(
        plugins: [String], components: [String: ComponentConfiguration],
        _ body: @Sendable (any TestClientProtocol, ComponentTestServer) async throws -> Value
    ) async throws -> Value {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harmonia-components-test-\(UUID())")
        let pluginDirectory = directory.appendingPathComponent("plugins")
        try FileManager.default.createDirectory(
            at: pluginDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        defer { try? FileManager.default.removeItem(at: directory) }
        for plugin in plugins { try install(plugin, into: pluginDirectory) }

        var configuration = HarmoniaConfiguration(
            host: "127.0.0.1", port: 0, dataDirectory: directory.path, logLevel: .warning, synchronous: .normal,
            engine: EngineConfiguration(shutdownGracePeriod: 1))
        // The routes, not the isolation, are under test: the copied adapters run in process
        // (IsolatedPluginTests and FaultInjectionTests cover `isolation: process`).
        configuration.plugins = PluginSettings(directories: [pluginDirectory.path], components: components, isolation: .inProcess)
        let store = try SQLiteStore(
            path: configuration.databasePath, configuration: SQLiteStoreConfiguration(synchronous: .normal))
        try await store.migrate()
        var logger = Logger(label: "harmonia.test")
        logger.logLevel = .warning
        let registry = AdapterRegistry([BuiltinAdapter()])
        let catalog = ComponentCatalog(configuration: configuration, registry: registry, logger: logger)
        await catalog.reload()
        let engine = Engine(store: store, adapters: registry, configuration: configuration.engine, logger: logger)
        try await engine.prepare()
        let app = buildApplication(
            configuration: configuration, store: store, engine: engine, logger: logger, components: catalog)
        let server = ComponentTestServer(pluginDirectory: pluginDirectory, catalog: catalog)
        return try await app.test(.router) { client in try await body(client, server) }
    }

    /// A library SwiftPM built next to the test bundle (`swift build --product HarmoniaEcho`...).
    static func builtLibrary(_ name: String) throws -> URL {
        let executable = URL(
            fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        var directory = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw HarmoniaError(.notFound, "\(name) not found near \(executable.path); build its product first")
    }

    /// Copies a built library into `directory` as `install -m 755` does: a new file, mode 0755.
    @discardableResult
    static func install(_ name: String, into directory: URL) throws -> URL {
        let target = directory.appendingPathComponent(name)
        let staging = directory.appendingPathComponent(".\(UUID().uuidString).tmp")
        try FileManager.default.copyItem(at: try builtLibrary(name), to: staging)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: staging.path)
        try FileManager.default.moveItem(at: staging, to: target)
        return target
    }
}

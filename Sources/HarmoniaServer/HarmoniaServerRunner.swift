import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import HarmoniaEngine
import HarmoniaPlugins
import HarmoniaStorageSQLite
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// Runs a Harmonia server until SIGTERM or SIGINT: what `harmonia serve` calls.
public enum HarmoniaServerRunner {
    /// Opens the store, recovers unfinished executions, then serves until a signal asks for
    /// a graceful shutdown (in-flight requests finish, then the engine drains).
    ///
    /// Once the socket listens, prints exactly one line to standard output,
    /// `harmonia listening on http://<host>:<port>`, with the real port (so `--port 0`
    /// works for scripts and tests); everything else goes to the log on standard error.
    public static func run(_ configuration: HarmoniaConfiguration) async throws {
        var logger = Logger(label: "harmonia")
        logger.logLevel = configuration.logLevel
        try await run(configuration, logger: logger)
    }

    /// `run(_:)` with a caller-provided logger.
    public static func run(_ configuration: HarmoniaConfiguration, logger: Logger) async throws {
        try await run(configuration, logger: logger, announce: printLine)
    }

    /// `run(_:logger:)` with the listening line sent to `announce` (tests capture it).
    static func run(
        _ configuration: HarmoniaConfiguration, logger: Logger, announce: @escaping @Sendable (String) -> Void
    ) async throws {
        var configuration = configuration
        if let warning = configuration.narrowWildcardBindWithoutKeys() {
            logger.warning("\(warning)")
        }
        try configuration.validateForServing()
        let store = try openStore(configuration, logger: logger)
        try await store.migrate()

        let adapters = AdapterRegistry([BuiltinAdapter()])
        let engine = Engine(
            store: store, adapters: adapters, configuration: configuration.engine,
            logger: logger.with(label: "harmonia.engine"))
        // Without Hermes, plugins load before binding: the configured components are callable
        // once the port answers. With Hermes nothing is opened here: discovery, which shares
        // this manager and registry, opens a component's plugin when Hermes first lists it
        // (or when it falls back to a configured endpoint).
        let plugins = ComponentCatalog(configuration: configuration, registry: adapters, logger: logger)
        if configuration.hermesConfiguration == nil {
            let scan = await plugins.reload()
            logger.info(
                "plugins loaded",
                metadata: [
                    "directories": "\(configuration.pluginsConfiguration.directories)",
                    "components": "\(scan.catalog.components.filter(\.available).map(\.name))",
                    "refused": "\(scan.refused.count)",
                ])
            // One plain line a person starting `scripts/run.sh` reads: what is there, what is on.
            logger.notice("\(plugins.summaryLine())")
        } else {
            logger.info(
                "plugins load on demand, when Hermes lists their components",
                metadata: ["directories": "\(configuration.pluginsConfiguration.directories)"])
        }
        let host = configuration.host
        let hermes = HermesServices(
            configuration: configuration, adapters: adapters, environment: ProcessInfo.processInfo.environment,
            logger: logger, plugins: plugins.manager)
        // Recovery after the components it needs and before binding. Recovery dispatches the
        // tasks that were running at the crash: the configured plugins are loaded by now and,
        // with Hermes, the components discovery will provide are expected (their tasks wait
        // for them), and a recovered task whose component is still not loaded waits for it
        // (`EngineCore.recovered`) instead of failing as unknown. Once the port
        // answers, every unfinished execution is back in the engine and `/ready` is true.
        try await engine.prepare()
        logger.info(
            "engine recovered", metadata: ["executions": "\(engine.status.recoveredExecutions)"])
        let components = plugins.with(hermes: hermes)
        let sighup = components.reloadOnSIGHUP()
        defer { sighup.cancel() }
        let runtime = ServerRuntime(host: configuration.host, port: configuration.port)
        let app = buildApplication(
            configuration: configuration, store: store, engine: engine,
            logger: logger.with(label: "harmonia.server"), hermes: hermes, components: components, runtime: runtime,
            onServerRunning: { port in
                let shownHost = host.contains(":") ? "[\(host)]" : host
                announce("harmonia listening on http://\(shownHost):\(port)")
                hermes.serverStarted(port: port)
            })
        // Hermes' services come after the app: shut down first, so SIGTERM unregisters
        // from Hermes before the server drains.
        let group = ServiceGroup(
            configuration: .init(
                services: ([app] as [any Service]) + hermes.services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        runtime.onShutdownRequest { await group.triggerGracefulShutdown() }
        do {
            try await group.run()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            await plugins.manager.stopPluginHosts()
            throw ServerStartError.portInUse(host: configuration.host, port: configuration.port)
        } catch {
            await plugins.manager.stopPluginHosts()
            throw error
        }
        // The engine has drained: plugin host children (isolation: process) end with the server.
        await plugins.manager.stopPluginHosts()
        logger.info("harmonia stopped")
    }

    private static func openStore(_ configuration: HarmoniaConfiguration, logger: Logger) throws -> SQLiteStore {
        let directory = configuration.dataDirectory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ConfigurationError(
                key: "storage.data_dir", "cannot create the data directory \(directory): \(error.localizedDescription)")
        }
        logger.info(
            "opening store",
            metadata: ["path": "\(configuration.databasePath)", "synchronous": "\(configuration.synchronous.rawValue)"])
        return try SQLiteStore(
            path: configuration.databasePath,
            configuration: SQLiteStoreConfiguration(synchronous: configuration.synchronous))
    }

    /// Writes one line to standard output and flushes it, so a parent process reading the
    /// pipe sees it at once rather than when a buffer fills.
    @Sendable private static func printLine(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

extension Logger {
    /// A copy with another label but the same level and metadata.
    func with(label: String) -> Logger {
        var copy = Logger(label: label)
        copy.logLevel = logLevel
        return copy
    }
}

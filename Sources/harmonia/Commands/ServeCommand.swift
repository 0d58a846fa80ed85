import ArgumentParser
import Foundation
import HarmoniaServer

/// `harmonia serve`: runs the server in the foreground until SIGTERM or SIGINT.
///
/// Flags win over the environment, which wins over the configuration file
/// (`HarmoniaConfiguration.load` applies that order), so the command only collects what
/// the user typed and leaves every default to the server's configuration.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Harmonia server (REST API on one port, SQLite in the data directory).",
        discussion: """
            Defaults: 127.0.0.1, port 8007 (or HARMONIA_PORT), data directory ~/.harmonia. Flags win over the environment, which wins over the configuration file.

            With --port 0 the server binds a free port; the line "harmonia listening on http://HOST:PORT" on stdout tells which. SIGTERM or SIGINT stops it gracefully: in-flight work is drained and the exit status is 0.
            """
    )

    @Option(help: "Address to bind (env HARMONIA_HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to bind; 0 picks a free one (env HARMONIA_PORT; default 8007).")
    var port: Int?

    @Option(name: .customLong("data-dir"), help: "Directory for harmonia.sqlite (default ~/.harmonia).")
    var dataDirectory: String?

    @Option(name: .customLong("config"), help: "A YAML or JSON configuration file.")
    var configFile: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String?

    @Option(name: .customLong("api-key"), help: "Require this API key (repeatable; visible in ps: prefer --api-key-file).")
    var apiKeys: [String] = []

    @Option(
        name: .customLong("api-key-file"),
        help: "Require the API keys in this file, one per line (env HARMONIA_API_KEY_FILE).")
    var apiKeyFile: String?

    @Option(
        name: .customLong("hermes-url"),
        help: "Register with this Hermes and let it choose the adapters (env HERMES_URL, or HERMES_HOST/HERMES_PORT/TEKTON_HOST).")
    var hermesURL: String?

    @Option(
        name: .customLong("checkpoint-interval"),
        help: "Seconds between automatic checkpoints of running executions; 0 turns them off (env HARMONIA_CHECKPOINT_INTERVAL; default off).")
    var checkpointInterval: Double?

    func validate() throws {
        if let port, !(0...65535).contains(port) {
            throw ValidationError("--port must be between 0 and 65535, got \(port)")
        }
    }

    func run() async throws {
        let overrides = ConfigurationOverrides(
            host: host,
            port: port,
            dataDirectory: dataDirectory.map(Self.expandTilde),
            logLevel: logLevel,
            apiKeys: apiKeys.isEmpty ? nil : apiKeys,
            apiKeyFile: apiKeyFile.map(Self.expandTilde),
            hermesURL: hermesURL,
            checkpointInterval: checkpointInterval
        )
        let configuration = try HarmoniaConfiguration.load(
            file: configFile.map(Self.expandTilde),
            environment: ProcessInfo.processInfo.environment,
            overrides: overrides
        )
        try await HarmoniaServerRunner.run(configuration)
    }

    /// Shells expand `~` only at the start of a word, so `--data-dir=~/x` arrives unexpanded.
    static func expandTilde(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        return home + path.dropFirst()
    }
}

import Foundation
import HarmoniaEngine
import HarmoniaStorageSQLite
import Logging

/// Everything `harmonia serve` needs, built once at start-up from defaults, the YAML file,
/// the environment and command-line flags (in that order of precedence).
///
/// See `docs/configuration.md` for every key with its YAML name and environment variable.
public struct HarmoniaConfiguration: Sendable {
    /// Interface to bind. Loopback by default; any other host requires an API key.
    public var host: String
    /// TCP port; 0 picks a free one (the "listening" line reports the real port).
    public var port: Int
    /// Directory holding `harmonia.sqlite`; tilde-expanded and absolute.
    public var dataDirectory: String
    /// Accepted API keys; empty disables authentication (loopback only). Includes the keys
    /// read from `apiKeyFile`.
    public var apiKeys: [String]
    /// `server.api_key_file`: the file the keys in `apiKeysFromFile` were read from.
    public var apiKeyFile: String?
    /// The keys read from `apiKeyFile` when the configuration was loaded.
    var apiKeysFromFile: [String] = []
    /// Largest request body accepted; larger ones get 413 `payload_too_large`.
    public var maxBodyBytes: Int
    /// Browser origins allowed to call the API across origins (CORS); `*` allows any.
    /// Tekton's UI (Hephaestus, port 8080) calls Harmonia straight from the browser.
    public var corsOrigins: [String] = Self.defaultCORSOrigins
    /// Minimum level of log lines (written to standard error).
    public var logLevel: Logger.Level
    /// SQLite durability: `.full` (default, nothing acknowledged is lost) or `.normal`.
    public var synchronous: SQLiteStoreConfiguration.Synchronous
    /// Engine settings: concurrency, `${env.*}` allow-list, shutdown grace period.
    public var engine: EngineConfiguration
    /// Hermes registration and discovery (`hermes.*`); off unless a URL is configured.
    public var hermes = HermesSettings()
    /// Plugin directories and the active components (`plugins.*`, `components.*`).
    public var plugins = PluginSettings()
    /// Connection timeouts, header and URI limits, the connection cap (`server.*`).
    public var http = HTTPLimits()
    /// Seconds between two stuck checks (`StuckExecutionMonitor`): unfinished executions
    /// that can never progress are logged and counted in `/metrics`.
    public var stuckCheckInterval: Double = 30

    public init(
        host: String = Self.defaultHost,
        port: Int = Self.defaultPort,
        dataDirectory: String = Self.defaultDataDirectory,
        apiKeys: [String] = [],
        maxBodyBytes: Int = Self.defaultMaxBodyBytes,
        logLevel: Logger.Level = .info,
        synchronous: SQLiteStoreConfiguration.Synchronous = .full,
        engine: EngineConfiguration = EngineConfiguration()
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = Self.expandPath(dataDirectory)
        self.apiKeys = apiKeys
        self.maxBodyBytes = maxBodyBytes
        self.logLevel = logLevel
        self.synchronous = synchronous
        self.engine = engine
    }

    public static let defaultHost = "127.0.0.1"
    /// Hephaestus, Tekton's UI, as a local browser reaches it.
    public static let defaultCORSOrigins = ["http://localhost:8080", "http://127.0.0.1:8080"]
    /// Harmonia's place in Tekton's port map.
    public static let defaultPort = 8007
    public static let defaultDataDirectory = "~/.harmonia"
    /// 4 MiB: inputs are small, but a generated definition with wide joins is not (a 5 × 200
    /// fully connected graph is 1.26 MB of JSON); anything bigger is a mistake or an attack.
    public static let defaultMaxBodyBytes = 4 << 20

    /// The SQLite database file inside the data directory.
    public var databasePath: String {
        (dataDirectory as NSString).appendingPathComponent("harmonia.sqlite")
    }

    /// Expands a leading `~` and makes a relative path absolute against the working directory,
    /// so the path logged at start-up is the path used.
    static func expandPath(_ path: String) -> String {
        var expanded = path
        if expanded == "~" || expanded.hasPrefix("~/") {
            let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
            expanded = home + expanded.dropFirst()
        }
        if !expanded.hasPrefix("/") {
            expanded = FileManager.default.currentDirectoryPath + "/" + expanded
        }
        return URL(fileURLWithPath: expanded).standardizedFileURL.path
    }
}

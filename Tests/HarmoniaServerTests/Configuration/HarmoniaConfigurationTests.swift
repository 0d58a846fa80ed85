import Foundation
import HarmoniaEngine
import HarmoniaStorageSQLite
import Logging
import Testing

@testable import HarmoniaServer

struct HarmoniaConfigurationTests {
    @Test func defaults() throws {
        let configuration = try HarmoniaConfiguration.load(file: nil, environment: [:], overrides: .init())
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8007)
        #expect(configuration.dataDirectory.hasSuffix("/.harmonia"))
        #expect(!configuration.dataDirectory.contains("~"))
        #expect(configuration.apiKeys.isEmpty)
        #expect(configuration.maxBodyBytes == 4 << 20)
        #expect(configuration.logLevel == .info)
        #expect(configuration.synchronous == .full)
        #expect(configuration.databasePath.hasSuffix("/.harmonia/harmonia.sqlite"))
    }

    @Test func precedenceIsDefaultsFileEnvironmentFlags() throws {
        let file = try TemporaryFile(
            """
            server:
              host: 127.0.0.2
              port: 9001
              api_keys: [from-file]
              max_body_bytes: 2048
            storage:
              data_dir: /tmp/harmonia-file
              synchronous: normal
            engine:
              max_concurrency: 4
              env_allowlist: [HOME]
              shutdown_grace_period: 5
              max_batch_size: 10
            logging:
              level: debug
            """)
        let fromFile = try HarmoniaConfiguration.load(file: file.path, environment: [:], overrides: .init())
        #expect(fromFile.host == "127.0.0.2")
        #expect(fromFile.port == 9001)
        #expect(fromFile.apiKeys == ["from-file"])
        #expect(fromFile.maxBodyBytes == 2048)
        #expect(fromFile.dataDirectory == "/tmp/harmonia-file")
        #expect(fromFile.synchronous == .normal)
        #expect(fromFile.engine.defaultMaxConcurrency == 4)
        #expect(fromFile.engine.environmentAllowlist == ["HOME"])
        #expect(fromFile.engine.shutdownGracePeriod == 5)
        #expect(fromFile.engine.maxBatchSize == 10)
        #expect(fromFile.logLevel == .debug)

        let environment = [
            "HARMONIA_HOST": "127.0.0.3", "HARMONIA_PORT": "9002", "HARMONIA_API_KEYS": "a, b",
            "HARMONIA_DATA_DIR": "/tmp/harmonia-env", "HARMONIA_LOG_LEVEL": "warning",
            "HARMONIA_MAX_BODY_BYTES": "4096", "HARMONIA_SYNCHRONOUS": "FULL",
            "HARMONIA_ENV_ALLOWLIST": "PATH,USER", "HARMONIA_MAX_CONCURRENCY": "8",
        ]
        let fromEnvironment = try HarmoniaConfiguration.load(file: file.path, environment: environment, overrides: .init())
        #expect(fromEnvironment.host == "127.0.0.3")
        #expect(fromEnvironment.port == 9002)
        #expect(fromEnvironment.apiKeys == ["a", "b"])
        #expect(fromEnvironment.dataDirectory == "/tmp/harmonia-env")
        #expect(fromEnvironment.logLevel == .warning)
        #expect(fromEnvironment.maxBodyBytes == 4096)
        #expect(fromEnvironment.synchronous == .full)
        #expect(fromEnvironment.engine.environmentAllowlist == ["PATH", "USER"])
        #expect(fromEnvironment.engine.defaultMaxConcurrency == 8)
        #expect(fromEnvironment.engine.maxBatchSize == 10)

        let fromFlags = try HarmoniaConfiguration.load(
            file: file.path, environment: environment,
            overrides: .init(host: "localhost", port: 0, dataDirectory: "~/flag-dir", logLevel: "trace", apiKeys: ["c"]))
        #expect(fromFlags.host == "localhost")
        #expect(fromFlags.port == 0)
        #expect(fromFlags.dataDirectory.hasSuffix("/flag-dir"))
        #expect(!fromFlags.dataDirectory.contains("~"))
        #expect(fromFlags.logLevel == .trace)
        #expect(fromFlags.apiKeys == ["c"])
    }

    @Test func emptyEnvironmentVariablesAreUnset() throws {
        let configuration = try HarmoniaConfiguration.load(
            file: nil, environment: ["HARMONIA_PORT": "", "HARMONIA_HOST": "  "], overrides: .init())
        #expect(configuration.port == 8007)
        #expect(configuration.host == "127.0.0.1")
    }

    @Test(arguments: [
        ("server:\n  prot: 9000\n", "server.prot"),
        ("sever:\n  port: 9000\n", "sever"),
        ("server:\n  port: nine\n", "server.port"),
        ("server:\n  port: 70000\n", "server.port"),
        ("server:\n  api_keys: [1, 2]\n", "server.api_keys[0]"),
        ("storage:\n  synchronous: sometimes\n", "storage.synchronous"),
        ("engine:\n  max_concurrency: 0\n", "engine.max_concurrency"),
        ("engine:\n  checkpoint_interval: 0.01\n", "engine.checkpoint_interval"),
        ("engine:\n  checkpoint_interval: often\n", "engine.checkpoint_interval"),
        ("logging:\n  level: loud\n", "logging.level"),
        ("logging: [debug]\n", "logging"),
    ])
    func badFileKeysAreNamed(yaml: String, key: String) throws {
        let file = try TemporaryFile(yaml)
        let error = try #require(throws: ConfigurationError.self) {
            try HarmoniaConfiguration.load(file: file.path, environment: [:], overrides: .init())
        }
        #expect(error.key == key)
        #expect(error.description.contains(key))
    }

    /// `engine.checkpoint_interval` from each layer, the later winning; 0 turns it off.
    @Test func checkpointIntervalFromFileEnvironmentAndFlag() throws {
        #expect(try HarmoniaConfiguration.load(file: nil, environment: [:], overrides: .init()).engine.checkpointInterval == nil)
        let file = try TemporaryFile("engine:\n  checkpoint_interval: 30\n")
        let fromFile = try HarmoniaConfiguration.load(file: file.path, environment: [:], overrides: .init())
        #expect(fromFile.engine.checkpointInterval == 30)
        let environment = ["HARMONIA_CHECKPOINT_INTERVAL": "2.5"]
        let fromEnvironment = try HarmoniaConfiguration.load(file: file.path, environment: environment, overrides: .init())
        #expect(fromEnvironment.engine.checkpointInterval == 2.5)
        let fromFlag = try HarmoniaConfiguration.load(
            file: file.path, environment: environment, overrides: .init(checkpointInterval: 0))
        #expect(fromFlag.engine.checkpointInterval == nil)

        let badEnvironment = try #require(throws: ConfigurationError.self) {
            try HarmoniaConfiguration.load(file: nil, environment: ["HARMONIA_CHECKPOINT_INTERVAL": "soon"], overrides: .init())
        }
        #expect(badEnvironment.key == "HARMONIA_CHECKPOINT_INTERVAL")
        let badFlag = try #require(throws: ConfigurationError.self) {
            try HarmoniaConfiguration.load(file: nil, environment: [:], overrides: .init(checkpointInterval: -1))
        }
        #expect(badFlag.key == "--checkpoint-interval")
    }

    @Test func badEnvironmentValuesAreNamed() throws {
        let error = try #require(throws: ConfigurationError.self) {
            try HarmoniaConfiguration.load(file: nil, environment: ["HARMONIA_PORT": "http"], overrides: .init())
        }
        #expect(error.key == "HARMONIA_PORT")
        #expect(throws: ConfigurationError.self) {
            try HarmoniaConfiguration.load(file: nil, environment: ["HARMONIA_LOG_LEVEL": "chatty"], overrides: .init())
        }
        #expect(throws: ConfigurationError.self) {
            try HarmoniaConfiguration.load(file: nil, environment: [:], overrides: .init(port: -1))
        }
    }

    @Test func missingFileIsAnError() {
        #expect(throws: ConfigurationError.self) {
            try HarmoniaConfiguration.load(file: "/nonexistent/harmonia.yaml", environment: [:], overrides: .init())
        }
    }

    @Test func shippedConfigurationFilesLoad() throws {
        // Resolve symlinks first: the test directory may be linked into a side package.
        let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let example = try HarmoniaConfiguration.load(
            file: root.appendingPathComponent("config/harmonia.example.yaml").path, environment: [:], overrides: .init())
        #expect(example.port == 8007)
        #expect(example.host == "127.0.0.1")
        let development = try HarmoniaConfiguration.load(
            file: root.appendingPathComponent("config/harmonia.dev.yaml").path, environment: [:], overrides: .init())
        #expect(development.logLevel == .debug)
        #expect(development.dataDirectory.hasSuffix("/.harmonia-dev"))
        #expect(development.bindsLoopbackOnly)
    }

    @Test(arguments: ["127.0.0.1", "localhost", "::1", "[::1]", "127.1.2.3"])
    func loopbackHostsServeWithoutKeys(host: String) throws {
        let configuration = HarmoniaConfiguration(host: host)
        #expect(configuration.bindsLoopbackOnly)
        try configuration.validateForServing()
    }

    @Test(arguments: ["0.0.0.0", "::", "192.168.1.10", "example.com", "127.0.0.1.example.com"])
    func nonLoopbackBindWithoutKeyIsRefused(host: String) throws {
        let configuration = HarmoniaConfiguration(host: host)
        let error = try #require(throws: ConfigurationError.self) { try configuration.validateForServing() }
        #expect(error.description.contains("API key"))
        try HarmoniaConfiguration(host: host, apiKeys: ["secret"]).validateForServing()
    }

    /// A specific address of another interface (the wildcard `0.0.0.0` is narrowed to
    /// loopback instead, see `TektonConventionsTests`). Bounded: a runner that wrongly
    /// served would otherwise run until killed.
    @Test(.timeLimit(.minutes(1)))
    func runnerRefusesNonLoopbackWithoutKeyBeforeTouchingDisk() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harmonia-refuse-\(UUID())").path
        let configuration = HarmoniaConfiguration(host: "192.0.2.10", port: 0, dataDirectory: directory)
        await #expect(throws: ConfigurationError.self) { try await HarmoniaServerRunner.run(configuration) }
        #expect(!FileManager.default.fileExists(atPath: directory))
    }
}

/// A file in the temporary directory, removed when the value is released.
final class TemporaryFile {
    let path: String

    init(_ contents: String) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("harmonia-\(UUID()).yaml").path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

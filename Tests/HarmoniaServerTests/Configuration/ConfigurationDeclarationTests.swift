import Configuration
import Foundation
import HarmoniaEngine
import Testing

@testable import HarmoniaServer

/// Every key is declared once and read the same way from the file, the environment and the
/// flags: these tests go through each declaration rather than a hand-picked few.
struct ConfigurationDeclarationTests {
    /// A valid value of each key's type, the same in every layer.
    private static func sample(_ key: ConfigurationKey) -> (yaml: String, text: String) {
        switch key.path {
        case "server.cors_origins": return ("[\"http://localhost:3000\"]", "http://localhost:3000")
        case "server.api_key_file": return ("", "")
        case "storage.synchronous": return ("normal", "normal")
        case "logging.level": return ("debug", "debug")
        case "hermes.url": return ("http://127.0.0.1:8001", "http://127.0.0.1:8001")
        case "plugins.isolation": return ("process", "process")
        case "engine.checkpoint_interval": return ("7", "7")
        default: break
        }
        switch key.type {
        case .string: return ("somewhere", "somewhere")
        case .integer: return ("7", "7")
        case .number: return ("7", "7")
        case .stringList: return ("[a, b]", "a,b")
        }
    }

    /// The value a loaded configuration holds for `key`, as text, to compare layers.
    private static func read(_ key: ConfigurationKey, _ c: HarmoniaConfiguration) -> String {
        let values: [String: Any?] = [
            "server.host": c.host, "server.port": c.port, "server.api_keys": c.apiKeys, "server.cors_origins": c.corsOrigins,
            "server.max_body_bytes": c.maxBodyBytes, "server.request_head_timeout": c.http.requestHeadTimeout,
            "server.request_body_timeout": c.http.requestBodyTimeout, "server.idle_timeout": c.http.idleTimeout,
            "server.max_header_count": c.http.maxHeaderCount, "server.max_header_bytes": c.http.maxHeaderBytes,
            "server.max_uri_bytes": c.http.maxURIBytes, "server.max_connections": c.http.maxConnections,
            "storage.data_dir": c.dataDirectory, "storage.synchronous": "\(c.synchronous)",
            "engine.max_concurrency": c.engine.defaultMaxConcurrency, "engine.max_task_input_bytes": c.engine.maxTaskInputBytes,
            "engine.max_task_output_bytes": c.engine.maxTaskOutputBytes, "engine.max_queued_requests": c.engine.maxQueuedRequests,
            "engine.redelivery_delay": c.engine.redeliveryDelay, "engine.max_redelivery_delay": c.engine.maxRedeliveryDelay,
            "engine.env_allowlist": c.engine.environmentAllowlist, "engine.shutdown_grace_period": c.engine.shutdownGracePeriod,
            "engine.idempotency_retention": c.engine.idempotencyRetention, "engine.max_batch_size": c.engine.maxBatchSize,
            "engine.checkpoint_interval": c.engine.checkpointInterval, "logging.level": "\(c.logLevel)",
            "hermes.url": c.hermes.url, "hermes.heartbeat_interval": c.hermes.heartbeatInterval,
            "hermes.poll_interval": c.hermes.pollInterval, "hermes.advertised_host": c.hermes.advertisedHost,
            "plugins.directories": c.plugins.directories, "plugins.isolation": "\(c.plugins.isolation)",
        ]
        guard let value = values[key.path] else { return "unread key \(key.path)" }
        return "\(String(describing: value))"
    }

    /// Every declared key (but the API key file, tested below) changes the configuration
    /// from the file and from its environment variable, to the same value, and a value of
    /// the wrong type is refused naming the key as each layer spells it.
    @Test(arguments: HarmoniaConfiguration.keys.filter { $0.path != "server.api_key_file" }.map(\.path))
    func everyKeyIsReadFromFileAndEnvironment(path: String) throws {
        let key = try #require(HarmoniaConfiguration.key(path))
        let defaults = Self.read(key, try HarmoniaConfiguration.load(file: nil, environment: [:], overrides: .init()))
        let sample = Self.sample(key)
        let file = try TemporaryFile("\(key.section):\n  \(key.name): \(sample.yaml)\n")
        let fromFile = Self.read(key, try HarmoniaConfiguration.load(file: file.path, environment: [:], overrides: .init()))
        let fromEnvironment = Self.read(
            key, try HarmoniaConfiguration.load(file: nil, environment: [key.environment: sample.text], overrides: .init()))
        #expect(fromFile != defaults, "\(path) from the file left the default \(defaults)")
        #expect(fromFile == fromEnvironment, "\(path): file gives \(fromFile), \(key.environment) gives \(fromEnvironment)")
        #expect(!fromFile.hasPrefix("unread key"), "the test does not know where \(path) is stored")

        let wrong = key.type == .string || key.type == .stringList ? "{a: 1}" : "\"text\""
        let badFile = try TemporaryFile("\(key.section):\n  \(key.name): \(wrong)\n")
        let fileError = try #require(throws: ConfigurationError.self) {
            try HarmoniaConfiguration.load(file: badFile.path, environment: [:], overrides: .init())
        }
        #expect(fileError.key == path)
        if key.type == .integer || key.type == .number {
            let environmentError = try #require(throws: ConfigurationError.self) {
                try HarmoniaConfiguration.load(file: nil, environment: [key.environment: "text"], overrides: .init())
            }
            #expect(environmentError.key == key.environment)
            #expect(environmentError.description.contains("\"text\""))
        }
    }

    /// YAML 1.2 core schema, as in workflow definitions: `on`, `no`, `yes`, `off` are strings.
    @Test func yamlOneTwoScalarsStayStrings() throws {
        let file = try TemporaryFile("hermes:\n  advertised_host: no\nplugins:\n  directories: [on, off]\n")
        let configuration = try HarmoniaConfiguration.load(file: file.path, environment: [:], overrides: .init())
        #expect(configuration.hermes.advertisedHost == "no")
        #expect(configuration.plugins.directories?.map { ($0 as NSString).lastPathComponent } == ["on", "off"])
        let boolean = try TemporaryFile("server:\n  port: true\n")
        let error = try #require(throws: ConfigurationError.self) {
            try HarmoniaConfiguration.load(file: boolean.path, environment: [:], overrides: .init())
        }
        #expect(error.key == "server.port")
        #expect(error.message.contains("boolean true"))
    }

    @Test func duplicateKeysInTheFileAreRefusedWithTheirLine() throws {
        let file = try TemporaryFile("server:\n  port: 1\n  port: 2\n")
        let error = try #require(throws: ConfigurationError.self) {
            try HarmoniaConfiguration.load(file: file.path, environment: [:], overrides: .init())
        }
        #expect(error.message.contains("duplicate"))
        #expect(error.message.contains("'port'"))
        #expect(error.message.contains("line"))
    }

    @Test func jsonFilesAreAcceptedToo() throws {
        let file = try TemporaryFile(#"{"server": {"port": 9100}, "engine": {"max_batch_size": 64}}"#)
        let configuration = try HarmoniaConfiguration.load(file: file.path, environment: [:], overrides: .init())
        #expect(configuration.port == 9100)
        #expect(configuration.engine.maxBatchSize == 64)
    }

    /// `HARMONIA_API_KEYS=","` used to turn authentication off without a word.
    @Test(arguments: [",", " , ,"])
    func blankListVariablesAreRefused(value: String) throws {
        let error = try #require(throws: ConfigurationError.self) {
            try HarmoniaConfiguration.load(file: nil, environment: ["HARMONIA_API_KEYS": value], overrides: .init())
        }
        #expect(error.key == "HARMONIA_API_KEYS")
    }

    @Test func apiKeysFromAFileJoinTheListedOnes() throws {
        let keys = try TemporaryFile("# rotated 2026-12\nnew-key\n\n  old-key  \n")
        let configuration = try HarmoniaConfiguration.load(
            file: nil, environment: ["HARMONIA_API_KEYS": "listed", "HARMONIA_API_KEY_FILE": keys.path], overrides: .init())
        #expect(configuration.apiKeys == ["listed", "new-key", "old-key"])
        #expect(configuration.apiKeyFile == keys.path)

        let fromFlag = try HarmoniaConfiguration.load(file: nil, environment: [:], overrides: .init(apiKeyFile: keys.path))
        #expect(fromFlag.apiKeys == ["new-key", "old-key"])
        let config = try TemporaryFile("server:\n  api_key_file: \(keys.path)\n")
        let fromFile = try HarmoniaConfiguration.load(file: config.path, environment: [:], overrides: .init())
        #expect(fromFile.apiKeys == ["new-key", "old-key"])
    }

    @Test func unreadableOrEmptyKeyFilesAreRefused() throws {
        let missing = try #require(throws: ConfigurationError.self) {
            try HarmoniaConfiguration.load(file: nil, environment: [:], overrides: .init(apiKeyFile: "/nonexistent/keys"))
        }
        #expect(missing.key == "--api-key-file")
        let empty = try TemporaryFile("# no keys yet\n\n")
        let error = try #require(throws: ConfigurationError.self) {
            try HarmoniaConfiguration.load(file: nil, environment: ["HARMONIA_API_KEY_FILE": empty.path], overrides: .init())
        }
        #expect(error.key == "HARMONIA_API_KEY_FILE")
        #expect(error.message.contains("no key"))
    }

    /// Flags are declared on their keys: each one the serve command has is a declared key.
    @Test func flagsBelongToDeclaredKeys() {
        let flags = HarmoniaConfiguration.keys.compactMap(\.flag).sorted()
        #expect(
            flags == [
                "--api-key", "--api-key-file", "--checkpoint-interval", "--data-dir", "--hermes-url", "--host", "--log-level",
                "--port",
            ])
        let given = ConfigurationOverrides(
            host: "h", port: 1, dataDirectory: "/d", logLevel: "debug", apiKeys: ["k"], apiKeyFile: "/f",
            hermesURL: "http://h:1", checkpointInterval: 1)
        let paths = Set(given.providerValues.keys.map { $0.components.joined(separator: ".") })
        #expect(paths == Set(HarmoniaConfiguration.keys.filter { $0.flag != nil }.map(\.path)))
    }

    /// The secret keys are marked so in every provider (nothing that reports configuration
    /// values prints them).
    @Test func apiKeysAreSecretInEveryLayer() throws {
        let file = try ConfigurationFile(yaml: "server:\n  api_keys: [k]\n  port: 1\n", source: "test")
        let secrets = file.providerValues.filter(\.value.isSecret).map { $0.key.components.joined(separator: ".") }
        #expect(secrets == ["server.api_keys"])
        let flags = ConfigurationOverrides(port: 1, apiKeys: ["k"]).providerValues
        #expect(flags.filter(\.value.isSecret).map { $0.key.components.joined(separator: ".") } == ["server.api_keys"])
    }
}

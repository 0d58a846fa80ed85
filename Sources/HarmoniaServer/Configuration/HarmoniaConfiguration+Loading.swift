import HarmoniaEngine

extension HarmoniaConfiguration {
    /// Builds the configuration from its layers: defaults < YAML `file` < `environment` <
    /// `overrides` (flags). Throws `ConfigurationError` naming the first bad key.
    public static func load(
        file: String?, environment: [String: String], overrides: ConfigurationOverrides
    ) throws -> HarmoniaConfiguration {
        var configuration = HarmoniaConfiguration()
        if let file {
            try configuration.apply(ConfigurationFile(path: file))
        }
        try configuration.apply(environment: environment)
        try configuration.apply(overrides)
        return configuration
    }

    /// The YAML layer.
    mutating func apply(_ file: ConfigurationFile) throws {
        if let host = try file.string("server.host") {
            self.host = try ConfigurationParsing.host(host, key: "server.host")
        }
        if let port = try file.integer("server.port") {
            self.port = try ConfigurationParsing.port(port, key: "server.port")
        }
        if let keys = try file.stringList("server.api_keys") {
            self.apiKeys = try ConfigurationParsing.apiKeys(keys, key: "server.api_keys")
        }
        if let origins = try file.stringList("server.cors_origins") {
            self.corsOrigins = try ConfigurationParsing.corsOrigins(origins, key: "server.cors_origins")
        }
        if let bytes = try file.integer("server.max_body_bytes") {
            self.maxBodyBytes = try ConfigurationParsing.positive(bytes, key: "server.max_body_bytes")
        }
        if let directory = try file.string("storage.data_dir") {
            self.dataDirectory = Self.expandPath(directory)
        }
        if let synchronous = try file.string("storage.synchronous") {
            self.synchronous = try ConfigurationParsing.synchronous(synchronous, key: "storage.synchronous")
        }
        if let concurrency = try file.integer("engine.max_concurrency") {
            self.engine.defaultMaxConcurrency = try ConfigurationParsing.positive(concurrency, key: "engine.max_concurrency")
        }
        if let names = try file.stringList("engine.env_allowlist") {
            self.engine.environmentAllowlist = names
        }
        if let grace = try file.number("engine.shutdown_grace_period") {
            self.engine.shutdownGracePeriod = try ConfigurationParsing.duration(
                grace, key: "engine.shutdown_grace_period", allowZero: true)
        }
        if let retention = try file.number("engine.idempotency_retention") {
            self.engine.idempotencyRetention = try ConfigurationParsing.duration(
                retention, key: "engine.idempotency_retention", allowZero: true)
        }
        if let batch = try file.integer("engine.max_batch_size") {
            self.engine.maxBatchSize = try ConfigurationParsing.positive(batch, key: "engine.max_batch_size")
        }
        if let seconds = try file.number("engine.checkpoint_interval") {
            self.engine.checkpointInterval = try ConfigurationParsing.checkpointInterval(
                seconds, key: "engine.checkpoint_interval")
        }
        if let level = try file.string("logging.level") {
            self.logLevel = try ConfigurationParsing.logLevel(level, key: "logging.level")
        }
        try applyHermes(file)
        try applyPlugins(file)
        try applyLimits(file)
    }

    /// The environment layer. Empty variables count as unset, so `HARMONIA_PORT=` in a
    /// launcher script does not break start-up.
    mutating func apply(environment: [String: String]) throws {
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        if let host = value("HARMONIA_HOST") {
            self.host = try ConfigurationParsing.host(host, key: "HARMONIA_HOST")
        }
        if let port = value("HARMONIA_PORT") {
            self.port = try ConfigurationParsing.port(
                ConfigurationParsing.integer(port, key: "HARMONIA_PORT"), key: "HARMONIA_PORT")
        }
        if let directory = value("HARMONIA_DATA_DIR") {
            self.dataDirectory = Self.expandPath(directory)
        }
        if let keys = value("HARMONIA_API_KEYS") {
            self.apiKeys = ConfigurationParsing.commaList(keys)
        }
        if let origins = value("HARMONIA_CORS_ORIGINS") {
            self.corsOrigins = try ConfigurationParsing.corsOrigins(
                ConfigurationParsing.commaList(origins), key: "HARMONIA_CORS_ORIGINS")
        }
        if let isolation = value("HARMONIA_PLUGINS_ISOLATION") {
            self.plugins.isolation = try Self.isolationDefault(isolation, key: "HARMONIA_PLUGINS_ISOLATION")
        }
        if let level = value("HARMONIA_LOG_LEVEL") {
            self.logLevel = try ConfigurationParsing.logLevel(level, key: "HARMONIA_LOG_LEVEL")
        }
        if let bytes = value("HARMONIA_MAX_BODY_BYTES") {
            self.maxBodyBytes = try ConfigurationParsing.positive(
                ConfigurationParsing.integer(bytes, key: "HARMONIA_MAX_BODY_BYTES"), key: "HARMONIA_MAX_BODY_BYTES")
        }
        if let synchronous = value("HARMONIA_SYNCHRONOUS") {
            self.synchronous = try ConfigurationParsing.synchronous(synchronous, key: "HARMONIA_SYNCHRONOUS")
        }
        if let names = value("HARMONIA_ENV_ALLOWLIST") {
            self.engine.environmentAllowlist = ConfigurationParsing.commaList(names)
        }
        if let concurrency = value("HARMONIA_MAX_CONCURRENCY") {
            self.engine.defaultMaxConcurrency = try ConfigurationParsing.positive(
                ConfigurationParsing.integer(concurrency, key: "HARMONIA_MAX_CONCURRENCY"), key: "HARMONIA_MAX_CONCURRENCY")
        }
        if let seconds = value("HARMONIA_CHECKPOINT_INTERVAL") {
            guard let number = Double(seconds) else {
                throw ConfigurationError(key: "HARMONIA_CHECKPOINT_INTERVAL", "expected a number of seconds, got \"\(seconds)\"")
            }
            self.engine.checkpointInterval = try ConfigurationParsing.checkpointInterval(
                number, key: "HARMONIA_CHECKPOINT_INTERVAL")
        }
        try applyHermes(environment: environment)
        try applyLimits(environment: environment)
    }

    /// The command-line layer.
    mutating func apply(_ overrides: ConfigurationOverrides) throws {
        if let host = overrides.host {
            self.host = try ConfigurationParsing.host(host, key: "--host")
        }
        if let port = overrides.port {
            self.port = try ConfigurationParsing.port(port, key: "--port")
        }
        if let directory = overrides.dataDirectory {
            self.dataDirectory = Self.expandPath(directory)
        }
        if let level = overrides.logLevel {
            self.logLevel = try ConfigurationParsing.logLevel(level, key: "--log-level")
        }
        if let keys = overrides.apiKeys {
            self.apiKeys = try ConfigurationParsing.apiKeys(keys, key: "--api-key")
        }
        if let seconds = overrides.checkpointInterval {
            self.engine.checkpointInterval = try ConfigurationParsing.checkpointInterval(
                seconds, key: "--checkpoint-interval")
        }
        try applyHermes(overrides)
    }
}

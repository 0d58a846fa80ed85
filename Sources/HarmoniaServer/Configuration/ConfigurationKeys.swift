import HarmoniaCore
import HarmoniaEngine

extension HarmoniaConfiguration {
    /// Every scalar and list key, in the order of `docs/configuration.md`. The `components`
    /// section (a mapping per component) is the one structured part of the file and is read
    /// by `applyComponents`.
    static let keys: [ConfigurationKey] = serverKeys + storageKeys + engineKeys + otherKeys

    /// The declaration of `path`; nil for an unknown key.
    static func key(_ path: String) -> ConfigurationKey? {
        keys.first { $0.path == path }
    }

    private static let serverKeys: [ConfigurationKey] = [
        ConfigurationKey("server.host", env: "HARMONIA_HOST", flag: "--host", .string) { c, v, source in
            c.host = try ConfigurationParsing.host(v.string!, key: source)
        },
        ConfigurationKey("server.port", env: "HARMONIA_PORT", flag: "--port", .integer) { c, v, source in
            c.port = try ConfigurationParsing.port(v.integer!, key: source)
        },
        ConfigurationKey("server.api_keys", env: "HARMONIA_API_KEYS", flag: "--api-key", .stringList, secret: true) { c, v, source in
            c.apiKeys = try ConfigurationParsing.apiKeys(v.stringList!, key: source)
        },
        ConfigurationKey("server.api_key_file", env: "HARMONIA_API_KEY_FILE", flag: "--api-key-file", .string) { c, v, source in
            (c.apiKeyFile, c.apiKeysFromFile) = try ConfigurationParsing.apiKeyFile(v.string!, key: source)
        },
        ConfigurationKey("server.cors_origins", env: "HARMONIA_CORS_ORIGINS", .stringList) { c, v, source in
            c.corsOrigins = try ConfigurationParsing.corsOrigins(v.stringList!, key: source)
        },
        ConfigurationKey("server.max_body_bytes", env: "HARMONIA_MAX_BODY_BYTES", .integer) { c, v, source in
            c.maxBodyBytes = try ConfigurationParsing.positive(v.integer!, key: source)
        },
        timeout("server.request_head_timeout", env: "HARMONIA_REQUEST_HEAD_TIMEOUT", \.http.requestHeadTimeout),
        timeout("server.request_body_timeout", env: "HARMONIA_REQUEST_BODY_TIMEOUT", \.http.requestBodyTimeout),
        timeout("server.idle_timeout", env: "HARMONIA_IDLE_TIMEOUT", \.http.idleTimeout),
        count("server.max_header_count", env: "HARMONIA_MAX_HEADER_COUNT", \.http.maxHeaderCount),
        count("server.max_header_bytes", env: "HARMONIA_MAX_HEADER_BYTES", \.http.maxHeaderBytes),
        count("server.max_uri_bytes", env: "HARMONIA_MAX_URI_BYTES", \.http.maxURIBytes),
        count("server.max_connections", env: "HARMONIA_MAX_CONNECTIONS", \.http.maxConnections),
    ]

    private static let storageKeys: [ConfigurationKey] = [
        ConfigurationKey("storage.data_dir", env: "HARMONIA_DATA_DIR", flag: "--data-dir", .string) { c, v, _ in
            c.dataDirectory = expandPath(v.string!)
        },
        ConfigurationKey("storage.synchronous", env: "HARMONIA_SYNCHRONOUS", .string) { c, v, source in
            c.synchronous = try ConfigurationParsing.synchronous(v.string!, key: source)
        },
    ]

    private static let engineKeys: [ConfigurationKey] = [
        ConfigurationKey("engine.max_concurrency", env: "HARMONIA_MAX_CONCURRENCY", .integer) { c, v, source in
            c.engine.defaultMaxConcurrency = try ConfigurationParsing.positive(v.integer!, key: source)
        },
        count("engine.max_task_input_bytes", env: "HARMONIA_MAX_TASK_INPUT_BYTES", \.engine.maxTaskInputBytes),
        count("engine.max_task_output_bytes", env: "HARMONIA_MAX_TASK_OUTPUT_BYTES", \.engine.maxTaskOutputBytes),
        count("engine.max_queued_requests", env: "HARMONIA_MAX_QUEUED_REQUESTS", \.engine.maxQueuedRequests),
        timeout("engine.redelivery_delay", env: "HARMONIA_REDELIVERY_DELAY", \.engine.redeliveryDelay),
        timeout("engine.max_redelivery_delay", env: "HARMONIA_MAX_REDELIVERY_DELAY", \.engine.maxRedeliveryDelay),
        ConfigurationKey("engine.env_allowlist", env: "HARMONIA_ENV_ALLOWLIST", .stringList) { c, v, _ in
            c.engine.environmentAllowlist = v.stringList!
        },
        ConfigurationKey("engine.shutdown_grace_period", env: "HARMONIA_SHUTDOWN_GRACE_PERIOD", .number) { c, v, source in
            c.engine.shutdownGracePeriod = try ConfigurationParsing.duration(v.number!, key: source, allowZero: true)
        },
        ConfigurationKey("engine.idempotency_retention", env: "HARMONIA_IDEMPOTENCY_RETENTION", .number) { c, v, source in
            c.engine.idempotencyRetention = try ConfigurationParsing.duration(v.number!, key: source, allowZero: true)
        },
        count("engine.max_batch_size", env: "HARMONIA_MAX_BATCH_SIZE", \.engine.maxBatchSize),
        ConfigurationKey(
            "engine.checkpoint_interval", env: "HARMONIA_CHECKPOINT_INTERVAL", flag: "--checkpoint-interval", .number
        ) { c, v, source in
            c.engine.checkpointInterval = try ConfigurationParsing.checkpointInterval(v.number!, key: source)
        },
    ]

    private static let otherKeys: [ConfigurationKey] = [
        ConfigurationKey("logging.level", env: "HARMONIA_LOG_LEVEL", flag: "--log-level", .string) { c, v, source in
            c.logLevel = try ConfigurationParsing.logLevel(v.string!, key: source)
        },
        // HERMES_URL is Tekton's own variable; `ConfigurationLayers` derives it from
        // HERMES_HOST / HERMES_PORT / TEKTON_HOST when only those are set.
        ConfigurationKey("hermes.url", env: "HERMES_URL", flag: "--hermes-url", .string) { c, v, source in
            c.hermes.url = try hermesURL(v.string!, key: source)
        },
        ConfigurationKey("hermes.heartbeat_interval", env: "HARMONIA_HERMES_HEARTBEAT_INTERVAL", .number) { c, v, source in
            c.hermes.heartbeatInterval = try interval(v.number!, key: source)
        },
        ConfigurationKey("hermes.poll_interval", env: "HARMONIA_HERMES_POLL_INTERVAL", .number) { c, v, source in
            c.hermes.pollInterval = try interval(v.number!, key: source)
        },
        ConfigurationKey("hermes.advertised_host", env: "HARMONIA_HERMES_ADVERTISED_HOST", .string) { c, v, source in
            c.hermes.advertisedHost = try ConfigurationParsing.host(v.string!, key: source)
        },
        ConfigurationKey("plugins.directories", env: "HARMONIA_PLUGINS_DIRECTORIES", .stringList) { c, v, _ in
            c.plugins.directories = v.stringList!.map(expandPath)
        },
        ConfigurationKey("plugins.isolation", env: "HARMONIA_PLUGINS_ISOLATION", .string) { c, v, source in
            c.plugins.isolation = try isolationDefault(v.string!, key: source)
        },
    ]

    /// A duration in seconds, more than 0.
    private static func timeout(
        _ path: String, env: String, _ field: any WritableKeyPath<HarmoniaConfiguration, Double> & Sendable
    ) -> ConfigurationKey {
        ConfigurationKey(path, env: env, .number) { c, v, source in
            c[keyPath: field] = try ConfigurationParsing.duration(v.number!, key: source, allowZero: false)
        }
    }

    /// A count or a size, at least 1.
    private static func count(
        _ path: String, env: String, _ field: any WritableKeyPath<HarmoniaConfiguration, Int> & Sendable
    ) -> ConfigurationKey {
        ConfigurationKey(path, env: env, .integer) { c, v, source in
            c[keyPath: field] = try ConfigurationParsing.positive(v.integer!, key: source)
        }
    }
}

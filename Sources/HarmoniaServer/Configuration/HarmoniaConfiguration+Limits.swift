import Foundation

/// The limit keys: connection timeouts and sizes (`server.*`) and task input and output
/// sizes (`engine.*`). Kept apart from the other keys so each layer reads them the same way.
extension HarmoniaConfiguration {
    /// Keys of `server` and `engine` that this file reads, for `ConfigurationFile.schema`.
    static let serverLimitKeys: Set<String> = [
        "request_head_timeout", "request_body_timeout", "idle_timeout", "max_header_count", "max_header_bytes",
        "max_uri_bytes", "max_connections",
    ]
    static let engineLimitKeys: Set<String> = [
        "max_task_input_bytes", "max_task_output_bytes", "max_queued_requests", "redelivery_delay", "max_redelivery_delay",
    ]

    /// Durations: (YAML key, environment variable, field).
    private static var durationKeys: [(String, String, WritableKeyPath<HTTPLimits, Double>)] {
        [
            ("server.request_head_timeout", "HARMONIA_REQUEST_HEAD_TIMEOUT", \.requestHeadTimeout),
            ("server.request_body_timeout", "HARMONIA_REQUEST_BODY_TIMEOUT", \.requestBodyTimeout),
            ("server.idle_timeout", "HARMONIA_IDLE_TIMEOUT", \.idleTimeout),
        ]
    }
    /// Counts and sizes of `server`: (YAML key, environment variable, field).
    private static var countKeys: [(String, String, WritableKeyPath<HTTPLimits, Int>)] {
        [
            ("server.max_header_count", "HARMONIA_MAX_HEADER_COUNT", \.maxHeaderCount),
            ("server.max_header_bytes", "HARMONIA_MAX_HEADER_BYTES", \.maxHeaderBytes),
            ("server.max_uri_bytes", "HARMONIA_MAX_URI_BYTES", \.maxURIBytes),
            ("server.max_connections", "HARMONIA_MAX_CONNECTIONS", \.maxConnections),
        ]
    }
    private static var engineKeys: [(String, String, WritableKeyPath<HarmoniaConfiguration, Int>)] {
        [
            ("engine.max_task_input_bytes", "HARMONIA_MAX_TASK_INPUT_BYTES", \.engine.maxTaskInputBytes),
            ("engine.max_task_output_bytes", "HARMONIA_MAX_TASK_OUTPUT_BYTES", \.engine.maxTaskOutputBytes),
            ("engine.max_queued_requests", "HARMONIA_MAX_QUEUED_REQUESTS", \.engine.maxQueuedRequests),
        ]
    }
    /// Durations of `engine`: (YAML key, environment variable, field).
    private static var engineDurationKeys: [(String, String, WritableKeyPath<HarmoniaConfiguration, Double>)] {
        [
            ("engine.redelivery_delay", "HARMONIA_REDELIVERY_DELAY", \.engine.redeliveryDelay),
            ("engine.max_redelivery_delay", "HARMONIA_MAX_REDELIVERY_DELAY", \.engine.maxRedeliveryDelay),
        ]
    }

    /// The YAML layer of the limit keys.
    mutating func applyLimits(_ file: ConfigurationFile) throws {
        for (key, _, field) in Self.durationKeys {
            if let seconds = try file.number(key) {
                http[keyPath: field] = try ConfigurationParsing.duration(seconds, key: key, allowZero: false)
            }
        }
        for (key, _, field) in Self.countKeys {
            if let value = try file.integer(key) {
                http[keyPath: field] = try ConfigurationParsing.positive(value, key: key)
            }
        }
        for (key, _, field) in Self.engineKeys {
            if let value = try file.integer(key) {
                self[keyPath: field] = try ConfigurationParsing.positive(value, key: key)
            }
        }
        for (key, _, field) in Self.engineDurationKeys {
            if let seconds = try file.number(key) {
                self[keyPath: field] = try ConfigurationParsing.duration(seconds, key: key, allowZero: false)
            }
        }
    }

    /// The environment layer of the limit keys; empty variables count as unset.
    mutating func applyLimits(environment: [String: String]) throws {
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        for (_, name, field) in Self.durationKeys {
            guard let text = value(name) else { continue }
            guard let seconds = Double(text) else {
                throw ConfigurationError(key: name, "expected a number of seconds, got \"\(text)\"")
            }
            http[keyPath: field] = try ConfigurationParsing.duration(seconds, key: name, allowZero: false)
        }
        for (_, name, field) in Self.countKeys {
            guard let text = value(name) else { continue }
            http[keyPath: field] = try ConfigurationParsing.positive(
                ConfigurationParsing.integer(text, key: name), key: name)
        }
        for (_, name, field) in Self.engineKeys {
            guard let text = value(name) else { continue }
            self[keyPath: field] = try ConfigurationParsing.positive(
                ConfigurationParsing.integer(text, key: name), key: name)
        }
        for (_, name, field) in Self.engineDurationKeys {
            guard let text = value(name) else { continue }
            guard let seconds = Double(text) else {
                throw ConfigurationError(key: name, "expected a number of seconds, got \"\(text)\"")
            }
            self[keyPath: field] = try ConfigurationParsing.duration(seconds, key: name, allowZero: false)
        }
    }
}

import Foundation
import Yams

/// The YAML configuration file, read strictly: an unknown key or a value of the wrong type
/// is an error naming the key, because a silently ignored typo (`prot: 9000`) is worse
/// than a refusal to start.
struct ConfigurationFile {
    /// Sections and the keys each may hold.
    static let schema: [String: Set<String>] = [
        "server": Set(["host", "port", "api_keys", "max_body_bytes", "cors_origins"]).union(HarmoniaConfiguration.serverLimitKeys),
        "storage": ["data_dir", "synchronous"],
        "engine": Set(["max_concurrency", "env_allowlist", "shutdown_grace_period", "max_batch_size", "checkpoint_interval", "idempotency_retention"])
            .union(HarmoniaConfiguration.engineLimitKeys),
        "logging": ["level"],
        "hermes": ["url", "heartbeat_interval", "poll_interval", "advertised_host"],
        "plugins": ["directories", "isolation"],
    ]

    /// `components`: any lower-case component name, each a mapping checked by `applyPlugins`.
    static let componentsSection = "components"
    /// The `components` section's entries by component name.
    private(set) var components: [String: Any] = [:]

    /// Values by dotted key (`server.port`); YAML nulls are left out (they mean "default").
    private(set) var values: [String: Any] = [:]

    /// Reads and checks the file at `path`.
    init(path: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(key: path, "cannot read the configuration file (\(error.localizedDescription))")
        }
        try self.init(yaml: text, source: path)
    }

    /// Checks already loaded YAML text; `source` names the file in messages.
    init(yaml: String, source: String) throws {
        let document: Any?
        do {
            document = try Yams.load(yaml: yaml)
        } catch {
            throw ConfigurationError(key: source, "not valid YAML: \(error)")
        }
        guard let document, !(document is NSNull) else { return }
        guard let root = document as? [String: Any] else {
            throw ConfigurationError(key: source, "the top level must be a mapping of sections (server, storage, engine, logging, hermes)")
        }
        for (section, body) in root {
            if section == Self.componentsSection {
                guard body is NSNull || body is [String: Any] else {
                    throw ConfigurationError(key: section, "must be a mapping of component names, not \(Self.typeName(body))")
                }
                components = body as? [String: Any] ?? [:]
                continue
            }
            guard let keys = Self.schema[section] else {
                let known = (Array(Self.schema.keys) + [Self.componentsSection]).sorted().joined(separator: ", ")
                throw ConfigurationError(key: section, "unknown section (known: \(known))")
            }
            if body is NSNull { continue }
            guard let members = body as? [String: Any] else {
                throw ConfigurationError(key: section, "must be a mapping, not \(Self.typeName(body))")
            }
            for (key, value) in members {
                guard keys.contains(key) else {
                    let known = keys.sorted().joined(separator: ", ")
                    throw ConfigurationError(key: "\(section).\(key)", "unknown key (known in \(section): \(known))")
                }
                if value is NSNull { continue }
                values["\(section).\(key)"] = value
            }
        }
    }

    func string(_ key: String) throws -> String? {
        guard let value = values[key] else { return nil }
        guard let string = value as? String else { throw typeError(key, "a string", value) }
        return string
    }

    func integer(_ key: String) throws -> Int? {
        guard let value = values[key] else { return nil }
        guard let integer = value as? Int else { throw typeError(key, "an integer", value) }
        return integer
    }

    func number(_ key: String) throws -> Double? {
        guard let value = values[key] else { return nil }
        if let integer = value as? Int { return Double(integer) }
        guard let number = value as? Double else { throw typeError(key, "a number", value) }
        return number
    }

    /// A list of strings; a single comma-separated string is accepted too, like the env var.
    func stringList(_ key: String) throws -> [String]? {
        guard let value = values[key] else { return nil }
        if let string = value as? String { return ConfigurationParsing.commaList(string) }
        guard let list = value as? [Any] else { throw typeError(key, "a list of strings", value) }
        return try list.enumerated().map { index, element in
            guard let string = element as? String else { throw typeError("\(key)[\(index)]", "a string", element) }
            return string
        }
    }

    private func typeError(_ key: String, _ expected: String, _ value: Any) -> ConfigurationError {
        ConfigurationError(key: key, "expected \(expected), got \(Self.typeName(value)) \(Self.render(value))")
    }

    static func typeName(_ value: Any) -> String {
        switch value {
        case is Bool: return "boolean"
        case is Int: return "integer"
        case is Double: return "number"
        case is String: return "string"
        case is [Any]: return "list"
        case is [String: Any]: return "mapping"
        default: return "value"
        }
    }

    private static func render(_ value: Any) -> String {
        switch value {
        case let string as String: return "\"\(string)\""
        case is [Any], is [String: Any]: return ""
        default: return "\(value)"
        }
    }
}

import Foundation
import HarmoniaCore
import HarmoniaStorageSQLite
import Logging

/// Parsers shared by the file, environment and flag layers, so each value means the same
/// wherever it is written.
enum ConfigurationParsing {
    /// `"a, b,,c"` → `["a", "b", "c"]`.
    static func commaList(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func logLevel(_ text: String, key: String) throws -> Logger.Level {
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigurationError(key: key, "unknown log level \"\(text)\" (use one of \(names))")
        }
        return level
    }

    static func synchronous(_ text: String, key: String) throws -> SQLiteStoreConfiguration.Synchronous {
        switch text.lowercased() {
        case "full": return .full
        case "normal": return .normal
        default: throw ConfigurationError(key: key, "expected \"full\" or \"normal\", got \"\(text)\"")
        }
    }

    static func integer(_ text: String, key: String) throws -> Int {
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw ConfigurationError(key: key, "expected an integer, got \"\(text)\"")
        }
        return value
    }

    static func port(_ value: Int, key: String) throws -> Int {
        guard (0...65535).contains(value) else {
            throw ConfigurationError(key: key, "port must be between 0 and 65535, got \(value)")
        }
        return value
    }

    static func positive(_ value: Int, key: String) throws -> Int {
        guard value > 0 else { throw ConfigurationError(key: key, "must be greater than 0, got \(value)") }
        return value
    }

    /// Seconds between interval checkpoints: 0 turns them off (nil), otherwise at least
    /// the minimum a workflow may set.
    static func checkpointInterval(_ seconds: Double, key: String) throws -> Double? {
        guard WorkflowDefinition.isValidCheckpointInterval(seconds) else {
            throw ConfigurationError(
                key: key,
                "must be \(WorkflowDefinition.checkpointIntervalRequirement), got \(seconds)")
        }
        return seconds == 0 ? nil : seconds
    }

    /// A number of seconds of at least `minimum` (0 allowed when `minimum` is 0) and at most
    /// `DurationLimit.maximumSeconds`: a longer one overflowed `Task.sleep` and aborted.
    static func duration(_ seconds: Double, key: String, allowZero: Bool) throws -> Double {
        let low = allowZero ? seconds >= 0 : seconds > 0
        guard low, DurationLimit.isWithinMaximum(seconds) else {
            let floor = allowZero ? "0 or more" : "more than 0"
            throw ConfigurationError(
                key: key, "must be \(floor) seconds and at most \(DurationLimit.maximumDescription), got \(seconds)")
        }
        return seconds
    }

    static func host(_ value: String, key: String) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw ConfigurationError(key: key, "host must not be empty") }
        return trimmed
    }

    static func apiKeys(_ keys: [String], key: String) throws -> [String] {
        let trimmed = keys.map { $0.trimmingCharacters(in: .whitespaces) }
        if trimmed.contains(where: \.isEmpty) {
            throw ConfigurationError(key: key, "API keys must not be empty")
        }
        return trimmed
    }

    /// A file of API keys: one per line, blank lines and lines starting with `#` ignored,
    /// surrounding whitespace trimmed. Keys passed this way (or in the environment) do not
    /// show in `ps` as `--api-key` values do. Read at start-up; an unreadable or empty file
    /// is an error.
    static func apiKeyFile(_ path: String, key: String) throws -> (path: String, keys: [String]) {
        let path = HarmoniaConfiguration.expandPath(path)
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(key: key, "cannot read the API key file \(path) (\(error.localizedDescription))")
        }
        let keys = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard !keys.isEmpty else {
            throw ConfigurationError(key: key, "the API key file \(path) holds no key (one per line; # starts a comment)")
        }
        return (path, keys)
    }

    /// Browser origins allowed to call the API: `*`, or `scheme://host[:port]` exactly as a
    /// browser sends it in `Origin` (no path, no trailing slash). `none` alone allows none.
    static func corsOrigins(_ origins: [String], key: String) throws -> [String] {
        if origins.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) == ["none"] { return [] }
        return try origins.map { raw in
            let origin = raw.trimmingCharacters(in: .whitespaces)
            if origin == "*" { return origin }
            guard let schemeEnd = origin.range(of: "://"), ["http", "https"].contains(origin[..<schemeEnd.lowerBound].lowercased()),
                !origin[schemeEnd.upperBound...].isEmpty, !origin[schemeEnd.upperBound...].contains("/")
            else {
                throw ConfigurationError(
                    key: key, "\"\(origin)\" is not an origin: write it as the browser sends it, e.g. http://localhost:8080, or * for any")
            }
            return origin.lowercased()
        }
    }
}

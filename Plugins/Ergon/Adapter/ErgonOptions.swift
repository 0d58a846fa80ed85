import HarmoniaPluginKit

/// Ergon's adapter options (`options` in the component's configuration).
struct ErgonOptions: Sendable, Hashable {
    /// Run `execute_command` on the Harmonia host instead of in Ergon's sandbox. Off by default:
    /// it runs commands with the server's privileges.
    var localMode = false
    /// In local mode, let a string command go through `/bin/sh -c` (pipes, globs, `$VARS`).
    /// Off by default: the string is split on whitespace and executed directly.
    var allowShell = false
    /// In local mode, the most bytes kept of stdout and of stderr each; the rest is dropped
    /// and a note says so.
    var maxOutputBytes = 1 << 20

    static let defaultMaxOutputBytes = 1 << 20

    init() {}

    init(json: PluginJSON) throws {
        localMode = try Self.bool(json, "local_mode") ?? false
        allowShell = try Self.bool(json, "allow_shell") ?? false
        if let value = json["max_output_bytes"], !value.isNull {
            guard let bytes = value.intValue, bytes > 0 else {
                throw Self.invalid("`max_output_bytes` must be a positive integer")
            }
            maxOutputBytes = bytes
        }
    }

    private static func bool(_ json: PluginJSON, _ key: String) throws -> Bool? {
        guard let value = json[key], !value.isNull else { return nil }
        guard let bool = value.boolValue else { throw invalid("`\(key)` must be true or false") }
        return bool
    }

    private static func invalid(_ message: String) -> AdapterError {
        AdapterError(code: "invalid_configuration", message: "ergon options: \(message)", retryable: false)
    }
}

/// A configuration value Harmonia cannot use, naming where it came from.
///
/// Thrown at start-up only; the CLI prints `description` and exits, so the message must
/// say which key (YAML path, environment variable or flag) is wrong and what was expected.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The offending key, such as `server.port`, `HARMONIA_PORT` or `--host`.
    public var key: String
    public var message: String

    public init(key: String, _ message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { "invalid configuration: \(key): \(message)" }
}

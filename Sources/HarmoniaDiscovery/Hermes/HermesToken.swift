/// The opaque token Hermes hands out at registration.
///
/// It is text that happens to contain JSON (quotes, spaces, braces): it is kept exactly as
/// received and sent back byte for byte, never parsed, trimmed or re-encoded. It is a
/// credential, so its description is redacted: interpolating it into a log line cannot leak it.
public struct HermesToken: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The exact text Hermes returned.
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }

    public var description: String { "<token redacted, \(rawValue.utf8.count) bytes>" }
    public var debugDescription: String { description }
}

/// An HTTP answer the host received for the plugin (any status: 4xx and 5xx too).
public struct HostHTTPResponse: Sendable, Hashable {
    public var status: Int
    /// Header names lower-cased; repeated headers joined with ", ".
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as JSON.
    public func json() throws -> PluginJSON { try PluginJSON.parse(body) }
}

/// A request that got no HTTP answer.
public struct HostHTTPError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Int32, Sendable, Hashable {
        /// Refused, reset, DNS or TLS failure.
        case connectFailed = 1
        /// No complete answer within the timeout.
        case timeout = 2
        /// The invocation was canceled, or the host is stopping.
        case canceled = 3
        /// Bad URL, method or headers.
        case invalidRequest = 4
        case other = 5
    }

    public var kind: Kind
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind): \(message)" }
}

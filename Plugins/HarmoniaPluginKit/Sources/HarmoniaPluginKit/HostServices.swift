/// What the host lends an adapter for one call: logging, progress, HTTP with the host's client.
///
/// In a loaded plugin these go through the host table's callbacks. Tests of an adapter
/// that run it without a host build one from closures with `init(log:progress:http:)`.
public struct HostServices: Sendable {
    private let logHandler: @Sendable (PluginLogLevel, String) -> Void
    private let progressHandler: @Sendable (String) -> Void
    private let httpHandler: @Sendable (HostHTTPRequest) async throws -> HostHTTPResponse

    /// Host services made of closures (for tests, or to run an adapter outside a host).
    public init(
        log: @escaping @Sendable (PluginLogLevel, String) -> Void = { _, _ in },
        progress: @escaping @Sendable (String) -> Void = { _ in },
        http: @escaping @Sendable (HostHTTPRequest) async throws -> HostHTTPResponse = { _ in
            throw HostHTTPError(kind: .other, message: "no HTTP client in this host")
        }
    ) {
        self.logHandler = log
        self.progressHandler = progress
        self.httpHandler = http
    }

    /// Writes a log line in the host's log, attributed to the plugin and this call.
    public func log(_ level: PluginLogLevel, _ message: String) {
        logHandler(level, message)
    }

    /// Reports progress; the host records it as an execution event.
    public func progress(_ message: String) {
        progressHandler(message)
    }

    /// Makes an HTTP request with the host's client. Returns any answer (4xx and 5xx too);
    /// throws `HostHTTPError` when there is none. `timeout` in seconds (nil: host default).
    /// `AdapterCall.http` adds the Tekton error normalisation on top.
    public func http(
        method: String = "GET", url: String, headers: [String: String] = [:], body: [UInt8] = [],
        timeout: Double? = nil
    ) async throws -> HostHTTPResponse {
        try await httpHandler(HostHTTPRequest(method: method, url: url, headers: headers, body: body, timeout: timeout))
    }
}

/// An HTTP request as the plugin describes it to the host.
public struct HostHTTPRequest: Sendable, Hashable {
    public var method: String
    public var url: String
    public var headers: [String: String]
    public var body: [UInt8]
    /// Whole-request timeout in seconds; nil for the host's default.
    public var timeout: Double?

    public init(method: String, url: String, headers: [String: String] = [:], body: [UInt8] = [], timeout: Double? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// Severity of a plugin log line (the ABI's `HARMONIA_LOG_*`).
public enum PluginLogLevel: Int32, Sendable, Hashable, CaseIterable {
    case trace = 0
    case debug = 1
    case info = 2
    case warning = 3
    case error = 4
}

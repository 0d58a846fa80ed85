import AsyncHTTPClient

/// A Swift client for Harmonia's REST API (`/api/v1`).
///
/// One instance per server; it is cheap, stateless apart from its configuration, and safe
/// to share between tasks. It does not own the `HTTPClient` it is given, so the caller
/// decides its lifetime; without one it uses `HTTPClient.shared`, which never needs
/// shutting down. Methods are grouped by resource in `HarmoniaClient+<Resource>.swift`
/// so later resources (templates, checkpoints, event streams) add files, not edits.
public final class HarmoniaClient: Sendable {
    /// The server's base URL without a trailing slash, e.g. `http://127.0.0.1:8007`.
    public let baseURL: String
    /// Sent as `Authorization: Bearer <key>` when set.
    public let apiKey: String?
    /// How long one request may take, connection included.
    public let requestTimeout: Duration
    let httpClient: HTTPClient

    /// - Parameters:
    ///   - baseURL: where the server listens, such as `http://127.0.0.1:8007`.
    ///   - apiKey: the API key, when the server requires one.
    ///   - httpClient: the client to send requests with; `HTTPClient.shared` when nil.
    ///   - requestTimeout: the deadline of each request.
    public init(
        baseURL: String, apiKey: String? = nil, httpClient: HTTPClient? = nil,
        requestTimeout: Duration = .seconds(30)
    ) {
        var trimmed = baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.baseURL = trimmed
        self.apiKey = apiKey
        self.httpClient = httpClient ?? HTTPClient.shared
        self.requestTimeout = requestTimeout
    }
}

import Foundation
import HarmoniaPluginKit

/// The component's HTTP API as this adapter reaches it: base URL, timeouts, JSON in and out.
///
/// Shared by the Tekton adapters (Ergon, Prometheus, Rhetor, Engram, Synthesis): it lives in
/// the SDK because each adapter depends on HarmoniaPluginKit alone, and the SDK is linked
/// statically into every plugin, so each plugin stays one self-contained library.
public struct TektonService: Sendable {
    /// The component name used in errors and the `<NAME>_HOST`/`<NAME>_PORT` variables.
    public let component: String
    /// `http://host:port`, without a trailing slash.
    public let baseURL: String
    /// The configured per-request timeout in seconds, if any.
    public let requestTimeout: Double?

    /// Resolves the endpoint: the configured one, else `http://<host>:<port>` where the
    /// host is `<NAME>_HOST`, else `TEKTON_HOST`, else `localhost`, and the port is
    /// `<NAME>_PORT`, else the component's place in Tekton's port map.
    public init(
        configuration: AdapterConfiguration, defaultPort: Int,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws {
        component = configuration.component
        requestTimeout = configuration.timeout
        if let endpoint = configuration.endpoint, !endpoint.isEmpty {
            guard endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://") else {
                throw AdapterError(
                    code: "invalid_configuration",
                    message: "\(component): endpoint '\(endpoint)' must start with http:// or https://", retryable: false)
            }
            var trimmed = endpoint
            while trimmed.hasSuffix("/") { trimmed.removeLast() }
            baseURL = trimmed
        } else {
            let name = component.uppercased()
            let host = environment["\(name)_HOST"] ?? environment["TEKTON_HOST"] ?? "localhost"
            let port = environment["\(name)_PORT"].flatMap(Int.init) ?? defaultPort
            baseURL = "http://\(host):\(port)"
        }
    }

    /// The URL of `path` (which starts with `/`), with percent-encoded query items.
    public func url(_ path: String, query: [(String, String)] = []) -> String {
        guard !query.isEmpty else { return baseURL + path }
        let items = query.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }
        return baseURL + path + "?" + items.joined(separator: "&")
    }

    /// The timeout of one request: the time left until the call's deadline, capped by the
    /// configured request timeout.
    public func timeout(for call: AdapterCall) -> Double? {
        switch (call.remainingTime, requestTimeout) {
        case (let remaining?, let configured?): return min(remaining, configured)
        case (let remaining?, nil): return remaining
        case (nil, let configured): return configured
        }
    }

    /// `GET path` → the JSON body of a 2xx answer.
    public func get(_ path: String, query: [(String, String)] = [], call: AdapterCall) async throws -> PluginJSON {
        try await request("GET", path, query: query, body: nil, call: call)
    }

    /// `POST path` with a JSON body → the JSON body of a 2xx answer.
    public func post(_ path: String, _ body: PluginJSON, call: AdapterCall) async throws -> PluginJSON {
        try await request("POST", path, body: body, call: call)
    }

    /// One request, normalised the Tekton way; a cancelled call surfaces as `CancellationError`.
    public func request(
        _ method: String, _ path: String, query: [(String, String)] = [], body: PluginJSON?, call: AdapterCall,
        timeout: Double? = nil
    ) async throws -> PluginJSON {
        let response = try await raw(method, path, query: query, body: body, call: call, timeout: timeout)
        return try decode(response, call: call)
    }

    /// One request returning the 2xx response as is (for bodies that are not JSON).
    public func raw(
        _ method: String, _ path: String, query: [(String, String)] = [], body: PluginJSON?, call: AdapterCall,
        timeout: Double? = nil
    ) async throws -> HostHTTPResponse {
        do {
            let url = url(path, query: query)
            let timeout = timeout ?? self.timeout(for: call)
            if let body {
                return try await call.http(method: method, url: url, json: body, timeout: timeout)
            }
            return try await call.http(method: method, url: url, headers: ["Accept": "application/json"], timeout: timeout)
        } catch let error as AdapterError where error.code == "canceled" || Task.isCancelled {
            // The host gave up because this call was cancelled: report a cancellation, not a failure.
            throw CancellationError()
        }
    }

    /// The body of a 2xx answer as JSON; a body that is not JSON is `invalid_response`.
    public func decode(_ response: HostHTTPResponse, call: AdapterCall) throws -> PluginJSON {
        if response.body.isEmpty { return .null }
        do {
            return try response.json()
        } catch {
            throw AdapterError(
                code: "invalid_response",
                message: "\(component) answered \(call.action) with a body that is not JSON: \(response.text.prefix(200))",
                retryable: false, httpStatus: response.status)
        }
    }

    /// `text` percent-encoded for use as one path segment (an id from the task input).
    /// `:` and `@` stay as they are (RFC 3986 allows them in a segment), so ids such as
    /// `<execution_id>:<task_id>` read the same in Tekton's logs.
    public static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: segmentCharacters) ?? text
    }

    private static let segmentCharacters = unreserved.union(CharacterSet(charactersIn: ":@"))

    private static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}

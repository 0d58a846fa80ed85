import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Tells whether a component Hermes lists is really up.
///
/// Listing proves nothing: Tekton's components send their heartbeats without Hermes'
/// token, Hermes refuses them (422), and so a component that died stays listed forever.
/// Only the component's own `GET /health` says it is alive.
public protocol ComponentHealthProbe: Sendable {
    /// Nil when the component at `endpoint` answers its health check; otherwise why not,
    /// in words for an operator (it becomes the reason its tasks show while they wait).
    func check(endpoint: String) async -> String?
}

/// `GET {endpoint}/health` within `timeout`: any 2xx is alive. A component that answers
/// 5xx or not at all is not, whatever its body says.
public struct HTTPHealthProbe: ComponentHealthProbe {
    let httpClient: HTTPClient
    let timeout: Duration

    public init(httpClient: HTTPClient = HermesClient.defaultHTTPClient, timeout: Duration = .seconds(2)) {
        self.httpClient = httpClient
        self.timeout = timeout
    }

    public func check(endpoint: String) async -> String? {
        let url = (endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint) + "/health"
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "User-Agent", value: "harmonia")
        do {
            let response = try await httpClient.execute(request, timeout: .nanoseconds(Int64(timeout.nanoseconds)))
            _ = try? await response.body.collect(upTo: 64 * 1024)
            guard (200..<300).contains(Int(response.status.code)) else {
                return "GET \(url) answered \(response.status.code)"
            }
            return nil
        } catch {
            return "GET \(url) failed: \(HermesClient.describe(error))"
        }
    }
}

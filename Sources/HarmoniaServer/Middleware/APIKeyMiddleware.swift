import Foundation
import HarmoniaCore
import HTTPTypes
import Hummingbird

/// Requires one of the configured API keys, as `Authorization: Bearer <key>` or
/// `X-API-Key: <key>`, on every route but the liveness and readiness probes (which
/// launchers and load balancers call without credentials) and the dashboard's static
/// files (which hold no data; the page asks for a key and sends it with every call).
///
/// The live streams also take `?api_key=<key>`: browsers cannot set headers on an
/// `EventSource` or a WebSocket. Request logs record the path only, never the query.
///
/// With no keys configured the middleware is not installed at all.
struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Paths served without a key.
    static var openPaths: Set<String> { ["/health", "/ready"] }

    private let keys: [[UInt8]]

    init(keys: [String]) {
        self.keys = keys.map { Array($0.utf8) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.isOpen(request) {
            return try await next(request, context)
        }
        guard let presented = Self.presentedKey(request.headers) ?? Self.queryKey(request) else {
            throw HarmoniaError(.unauthorized, "an API key is required (Authorization: Bearer <key> or X-API-Key: <key>)")
        }
        guard accepts(Array(presented.utf8)) else {
            throw HarmoniaError(.unauthorized, "the API key is not valid")
        }
        return try await next(request, context)
    }

    /// Probes, the dashboard's files, and `/` as a browser asks for it (the page).
    static func isOpen(_ request: Request) -> Bool {
        let path = request.uri.path
        if openPaths.contains(path) || path == "/ui" || path.hasPrefix("/ui/") { return true }
        return path == "/" && DashboardAssets.prefersHTML(request)
    }

    /// `?api_key=` on the stream routes only, where headers cannot be set by browsers.
    static func queryKey(_ request: Request) -> String? {
        let path = request.uri.path
        guard path.hasPrefix("/ws/") || path.hasPrefix("/events/") || path == "/ws" || path == "/events" else {
            return nil
        }
        guard let key = request.uri.queryParameters.get("api_key"), !key.isEmpty else { return nil }
        return key
    }

    /// The key from `X-API-Key`, else from a `Bearer` authorization.
    static func presentedKey(_ headers: HTTPFields) -> String? {
        if let key = headers[.apiKey], !key.isEmpty { return key }
        guard let authorization = headers[.authorization] else { return nil }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let key = parts[1].trimmingCharacters(in: .whitespaces)
        return key.isEmpty ? nil : key
    }

    /// Compares against every key without stopping early, so response time says nothing
    /// about which key or how much of it matched.
    private func accepts(_ presented: [UInt8]) -> Bool {
        var matched = false
        for key in keys {
            matched = Self.constantTimeEquals(key, presented) || matched
        }
        return matched
    }

    /// Time depends only on the lengths, not on where the bytes differ.
    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        let length = max(a.count, b.count)
        for i in 0..<length {
            let x = i < a.count ? a[i] : 0
            let y = i < b.count ? b[i] : 0
            difference |= x ^ y
        }
        return difference == 0 && a.count == b.count
    }
}

extension HTTPField.Name {
    /// `X-API-Key`.
    static var apiKey: Self { .init("X-API-Key")! }
}

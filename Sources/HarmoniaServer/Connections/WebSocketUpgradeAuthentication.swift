import Foundation
import NIOHTTP1

/// Checks the API key of a WebSocket upgrade request before Hummingbird sees it.
///
/// Hummingbird answers every refused upgrade with a bare 400, whatever the route said, so a
/// WebSocket client without a valid key could not tell a missing key from a bad request.
/// Checking here lets the connection guard answer the documented 401 with the usual JSON
/// body. Same rules as `APIKeyMiddleware`: `X-API-Key`, `Authorization: Bearer`, or
/// `?api_key=` (browsers cannot set headers on a WebSocket), compared in constant time.
struct WebSocketUpgradeAuthentication: Sendable {
    private let keys: [[UInt8]]

    init(keys: [String]) {
        self.keys = keys.map { Array($0.utf8) }
    }

    /// Whether `head` is a WebSocket upgrade that must be refused: keys are configured and
    /// it presents none of them.
    func refuses(_ head: HTTPRequestHead) -> Bool {
        guard !keys.isEmpty, head.headers.first(name: "upgrade")?.lowercased() == "websocket" else { return false }
        guard let presented = Self.presentedKey(head) else { return true }
        let bytes = Array(presented.utf8)
        var matched = false
        for key in keys {
            matched = APIKeyMiddleware<HarmoniaRequestContext>.constantTimeEquals(key, bytes) || matched
        }
        return !matched
    }

    private static func presentedKey(_ head: HTTPRequestHead) -> String? {
        if let key = head.headers.first(name: "x-api-key"), !key.isEmpty { return key }
        if let authorization = head.headers.first(name: "authorization") {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                let key = parts[1].trimmingCharacters(in: .whitespaces)
                if !key.isEmpty { return key }
            }
        }
        guard let query = head.uri.split(separator: "?", maxSplits: 1).dropFirst().first else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0] == "api_key" else { continue }
            let value = String(parts[1]).removingPercentEncoding ?? String(parts[1])
            if !value.isEmpty { return value }
        }
        return nil
    }
}

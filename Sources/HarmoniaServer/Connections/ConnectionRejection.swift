import Foundation
import NIOCore

/// An answer the server gives below HTTP routing, written as raw bytes because the request
/// never became one the router could see (too slow, too long, malformed, one connection too
/// many). Same `{"detail", "code"}` body as every other error, always with
/// `Connection: close`.
struct ConnectionRejection: Equatable {
    var status: Int
    var reason: String
    var code: String
    var detail: String

    static func requestTimeout(_ what: String) -> Self {
        .init(status: 408, reason: "Request Timeout", code: "request_timeout", detail: "the \(what) did not arrive in time")
    }
    static func uriTooLong(_ limit: Int) -> Self {
        .init(
            status: 414, reason: "URI Too Long", code: "uri_too_long",
            detail: "the request URI is longer than \(limit) bytes")
    }
    static let unauthorized = Self(
        status: 401, reason: "Unauthorized", code: "unauthorized",
        detail: "an API key is required (Authorization: Bearer <key>, X-API-Key: <key> or ?api_key=<key>)")
    static let headersTooLarge = Self(
        status: 431, reason: "Request Header Fields Too Large", code: "headers_too_large",
        detail: "the request has too many header fields or they are too large")
    static func malformed(_ problem: String) -> Self {
        .init(status: 400, reason: "Bad Request", code: "invalid_request", detail: "malformed HTTP request: \(problem)")
    }
    static func tooManyConnections(_ limit: Int) -> Self {
        .init(
            status: 503, reason: "Service Unavailable", code: "too_many_connections",
            detail: "the server already has \(limit) connections open; try again later")
    }

    /// The whole HTTP/1.1 response.
    func bytes(allocator: ByteBufferAllocator) -> ByteBuffer {
        // The detail is our own text, never client bytes, so escaping quotes is enough.
        let escaped = detail.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let body = #"{"detail":"\#(escaped)","code":"\#(code)"}"#
        var head = "HTTP/1.1 \(status) \(reason)\r\n"
        head += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n"
        if status == 503 { head += "Retry-After: 1\r\n" }
        if status == 401 { head += "WWW-Authenticate: Bearer realm=\"harmonia\"\r\n" }
        head += "\r\n"
        return allocator.buffer(string: head + body)
    }
}

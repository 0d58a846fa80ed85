import Foundation
import HarmoniaCore
import Hummingbird

/// Reading query parameters and JSON bodies into checked values, with `invalid_request`
/// or `invalid_json` (400) for anything a client got wrong.
extension Request {
    /// The body parsed as JSON; `nil` for an empty body.
    func jsonBody(maxBytes: Int) async throws -> JSONValue? {
        let buffer = try await collectLimitedBody(maxBytes: maxBytes)
        guard buffer.readableBytes > 0 else { return nil }
        let bytes = buffer.readableBytesView
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return nil }
        return try JSONValue.parse(bytes)
    }

    /// A query parameter, nil when absent or empty.
    func query(_ name: String) -> String? {
        guard let value = uri.queryParameters.get(name), !value.isEmpty else { return nil }
        return value
    }

    /// An integer query parameter within `range`, `defaultValue` when absent. Present but
    /// empty (`offset=`) is refused like any other non-integer.
    func integerQuery(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) throws -> Int {
        guard let raw = uri.queryParameters.get(name) else { return defaultValue }
        let text = String(raw)
        guard let value = Int(text) else {
            throw HarmoniaError(.invalidRequest, "query parameter '\(name)' must be an integer, got '\(text)'", path: name)
        }
        guard range.contains(value) else {
            throw HarmoniaError(
                .invalidRequest,
                "query parameter '\(name)' must be between \(range.lowerBound) and \(range.upperBound), got \(value)",
                path: name)
        }
        return value
    }

    /// `limit` and `offset` for list routes.
    func page(defaultLimit: Int = 50, maxLimit: Int = 1000) throws -> (limit: Int, offset: Int) {
        (
            try integerQuery("limit", default: defaultLimit, range: 1...maxLimit),
            try integerQuery("offset", default: 0, range: 0...Int(Int32.max))
        )
    }
}

extension RequestContext {
    /// The `{id}` path parameter, percent-decoded (the router hands segments over as sent,
    /// so `my%3Aflow` would never match the id `my:flow`).
    func requiredID() throws -> String {
        guard let raw = parameters.get("id"), !raw.isEmpty else {
            throw HarmoniaError(.invalidRequest, "the path is missing an id")
        }
        guard let id = raw.removingPercentEncoding else {
            throw HarmoniaError(.invalidRequest, "the id in the path is not valid percent-encoding", path: "id")
        }
        return id
    }
}

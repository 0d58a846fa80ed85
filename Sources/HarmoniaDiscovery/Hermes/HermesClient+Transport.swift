import AsyncHTTPClient
import Foundation
import HarmoniaCore
import NIOCore
import NIOHTTP1

extension HermesClient {
    /// The header that carries the token, exactly as Hermes reads it.
    static let tokenHeader = "X-Authentication-Token"

    /// Sends one request and returns the parsed JSON body of a 2xx answer (`null` when empty).
    ///
    /// A non-2xx answer throws `hermes_rejected` with the status in `path` (so callers can
    /// match a 404) or `hermes_unauthorized` for 401; a transport failure throws `hermes_unreachable`.
    func send(_ method: HTTPMethod, _ path: String, json: JSONValue? = nil, token: HermesToken? = nil) async throws
        -> JSONValue
    {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "harmonia")
        if let token {
            // Byte for byte: NIO writes the header value's UTF-8 as it is.
            request.headers.add(name: Self.tokenHeader, value: token.rawValue)
        }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: json.jsonBytes()))
        }
        let what = "\(method.rawValue) \(baseURL)\(path.split(separator: "?").first.map(String.init) ?? path)"
        let status: HTTPResponseStatus
        let bytes: ByteBuffer
        do {
            let response = try await httpClient.execute(request, timeout: .nanoseconds(Int64(timeout.nanoseconds)))
            status = response.status
            bytes = try await response.body.collect(upTo: Self.maxResponseBytes)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw HarmoniaError(.hermesUnreachable, "cannot reach Hermes (\(what)): \(Self.describe(error))")
        }
        let text = String(buffer: bytes)
        guard (200..<300).contains(Int(status.code)) else {
            if status == .unauthorized {
                throw HarmoniaError(.hermesUnauthorized, "Hermes answered 401 to \(what)")
            }
            throw HarmoniaError(
                .hermesRejected, "Hermes answered \(status.code) to \(what): \(Self.detail(text))",
                path: String(status.code))
        }
        if bytes.readableBytes == 0 { return .null }
        do {
            return try JSONValue.parse(Array(bytes.readableBytesView))
        } catch {
            throw HarmoniaError(.hermesInvalidResponse, "Hermes answered \(what) with a body that is not JSON")
        }
    }

    /// FastAPI's `{"detail": ...}` when present, else the start of the body.
    static func detail(_ text: String) -> String {
        if let value = try? JSONValue.parse(text), let detail = value.objectValue?["detail"] {
            return detail.stringValue ?? detail.jsonString()
        }
        return text.isEmpty ? "(empty body)" : String(text.prefix(200))
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError, error == .deadlineExceeded || error == .readTimeout {
            return "timed out"
        }
        let text = String(describing: error)
        // NIO's wording for a refused connect is "connection reset (error set): Connection refused) (errno: 111)".
        if text.contains("Connection refused") { return "connection refused" }
        return text
    }

    static func queryEscaped(_ text: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    static func pathEscaped(_ text: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

extension Duration {
    /// The whole duration in nanoseconds (saturating).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return scaled + attoseconds / 1_000_000_000
    }
}

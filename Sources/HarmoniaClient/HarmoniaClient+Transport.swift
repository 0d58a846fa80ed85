import AsyncHTTPClient
import Foundation
import HarmoniaCore
import NIOCore
import NIOHTTP1

extension HarmoniaClient {
    /// The largest response body the client accepts; an execution view of a big workflow
    /// fits comfortably, a runaway response does not exhaust memory.
    static let maxResponseBytes = 64 * 1024 * 1024

    /// Sends one request and returns the success envelope's `data` (or the whole body for
    /// routes outside the envelope, such as `/health`).
    ///
    /// Every method of the client goes through here so that headers, deadlines and the
    /// mapping of `{"detail", "code"}` to `HarmoniaClientError` live in one place.
    package func send(
        _ method: HTTPMethod, _ path: String, query: [(String, String?)] = [], body: JSONValue? = nil,
        headers extraHeaders: [(String, String)] = []
    ) async throws -> JSONValue {
        var request = HTTPClientRequest(url: baseURL + path + Self.queryString(query))
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "harmonia-swift-client")
        if let apiKey { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        for (name, value) in extraHeaders { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body.jsonBytes()))
        }

        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            response = try await httpClient.execute(request, timeout: Self.timeAmount(requestTimeout))
            bytes = try await response.body.collect(upTo: Self.maxResponseBytes)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            throw HarmoniaClientError(
                code: HarmoniaClientError.Code.timeout,
                detail: "\(method.rawValue) \(path) got no answer from \(baseURL) within \(requestTimeout)", status: 0)
        } catch {
            throw HarmoniaClientError(
                code: HarmoniaClientError.Code.connectionFailed,
                detail: "cannot connect to \(baseURL): \(Self.describeConnectionFailure(error))", status: 0)
        }
        return try Self.unwrap(status: Int(response.status.code), body: Array(buffer: bytes))
    }

    /// A connection failure in a person's words. NIO says "connection reset (error set):
    /// Connection refused) (errno: 111)" for a server that is not running.
    static func describeConnectionFailure(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("Connection refused") { return "connection refused — is the server running?" }
        if text.contains("connectTimeout") || text.contains("Connect timeout") { return "no answer to the connection (timed out)" }
        return text
    }

    /// Maps a response to the envelope's `data` or to the server's error.
    static func unwrap(status: Int, body: [UInt8]) throws -> JSONValue {
        let parsed = body.isEmpty ? JSONValue.null : try? JSONValue.parse(body)
        guard (200..<300).contains(status) else {
            if let object = parsed?.objectValue, let code = object["code"]?.stringValue {
                let detail = object["detail"].map { $0.stringValue ?? $0.jsonString() } ?? code
                let problems = object["problems"].flatMap { try? decode([HarmoniaError.Problem].self, from: $0, what: "problems") }
                throw HarmoniaClientError(
                    code: code, detail: detail, status: status, path: object["path"]?.stringValue, problems: problems ?? [])
            }
            let text = String(decoding: body.prefix(500), as: UTF8.self)
            throw HarmoniaClientError(
                code: "http_\(status)", detail: text.isEmpty ? "HTTP \(status) with an empty body" : text,
                status: status)
        }
        guard let parsed else {
            throw HarmoniaClientError(
                code: HarmoniaClientError.Code.invalidResponse,
                detail: "the server answered HTTP \(status) with a body that is not JSON", status: status)
        }
        if let object = parsed.objectValue, object["status"]?.stringValue == "success", let data = object["data"] {
            return data
        }
        return parsed
    }

    /// `?a=1&b=2` from the pairs whose value is not nil, percent-encoded.
    static func queryString(_ pairs: [(String, String?)]) -> String {
        let items = pairs.compactMap { name, value in value.map { "\(encode(name))=\(encode($0))" } }
        return items.isEmpty ? "" : "?" + items.joined(separator: "&")
    }

    /// Percent-encodes a query component or a path segment (ids typed by people may hold
    /// anything, and a stray `/` or `?` must not change the route).
    static func encode(_ component: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return component.addingPercentEncoding(withAllowedCharacters: allowed) ?? component
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

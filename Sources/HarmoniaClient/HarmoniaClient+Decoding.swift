import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import NIOHTTP1

extension HarmoniaClient {
    /// Sends a request and decodes the envelope's `data` as `T` with the wire's date format.
    package func send<T: Decodable>(
        _ type: T.Type, _ method: HTTPMethod, _ path: String, query: [(String, String?)] = [],
        body: JSONValue? = nil
    ) async throws -> T {
        let data = try await send(method, path, query: query, body: body)
        return try Self.decode(type, from: data, what: "\(method.rawValue) \(path)")
    }

    /// Decodes a JSON value as `T`; a mismatch is `invalid_response` naming the route, so a
    /// client/server version skew is reported as such rather than as a crash.
    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, what: String) throws -> T {
        do {
            return try APICoding.makeDecoder().decode(T.self, from: value.jsonData())
        } catch {
            throw HarmoniaClientError(
                code: HarmoniaClientError.Code.invalidResponse,
                detail: "unexpected response to \(what): \(error)", status: 0)
        }
    }

    /// `/api/v1` followed by the escaped segments: `path("executions", id, "cancel")`.
    static func apiPath(_ segments: String...) -> String {
        "/api/v1/" + segments.map(encode).joined(separator: "/")
    }
}

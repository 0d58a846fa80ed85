import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import Hummingbird

/// A response whose body is `body` encoded as wire JSON (ISO-8601 dates, snake_case keys).
///
/// Routes build responses through this rather than Hummingbird's context encoder so that
/// every body, success or error, goes through the same `APICoding` encoder, except bodies
/// that build their JSON directly (`DirectJSON`: the acknowledgements of starts and
/// controls), which are tested to say the same.
struct JSONResponse<Body: Encodable & Sendable>: ResponseGenerator {
    var status: HTTPResponse.Status
    var body: Body
    var headers: HTTPFields

    init(status: HTTPResponse.Status = .ok, body: Body, headers: HTTPFields = [:]) {
        self.status = status
        self.body = body
        self.headers = headers
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        makeResponse()
    }

    /// The response without a request, for middleware that builds error bodies.
    func makeResponse() -> Response {
        let bytes: [UInt8]
        do {
            if let direct = (body as? any DirectJSON)?.directJSON {
                bytes = direct.jsonBytes()
            } else {
                bytes = Array(try APICoding.encoder.encode(body))
            }
        } catch {
            // Wire types only hold JSON-representable values; this is a programming error,
            // answered with a well-formed body rather than an empty one.
            bytes = Array(#"{"detail":"the response could not be encoded","code":"internal_error"}"#.utf8)
        }
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.contentLength] = String(bytes.count)
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

/// The success envelope `{"status": "success", "message", "data"}` as a response.
func success<Payload: Codable & Sendable>(
    _ message: String, _ data: Payload, status: HTTPResponse.Status = .ok
) -> JSONResponse<APISuccess<Payload>> {
    JSONResponse<APISuccess<Payload>>(status: status, body: APISuccess(message: message, data: data))
}

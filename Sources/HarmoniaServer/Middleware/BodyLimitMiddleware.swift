import HarmoniaCore
import Hummingbird
import NIOCore

/// Rejects a request whose declared `Content-Length` exceeds the limit before any of the
/// body is read. Bodies without a length (chunked) are capped while collecting instead
/// (see `Request.collectLimitedBody`).
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let declared = request.headers[.contentLength], let length = Int(declared), length > maxBytes {
            throw HarmoniaError(
                .payloadTooLarge, "the request body is \(length) bytes; the limit is \(maxBytes) bytes")
        }
        return try await next(request, context)
    }
}

extension Request {
    /// The whole body, at most `maxBytes` of it; `payload_too_large` beyond that.
    func collectLimitedBody(maxBytes: Int) async throws -> ByteBuffer {
        do {
            return try await body.collect(upTo: maxBytes)
        } catch is NIOTooManyBytesError {
            throw HarmoniaError(.payloadTooLarge, "the request body is larger than the limit of \(maxBytes) bytes")
        }
    }
}

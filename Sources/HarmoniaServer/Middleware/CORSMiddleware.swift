import HTTPTypes
import HarmoniaCore
import Hummingbird

/// Lets browser pages from the configured origins call the API (Tekton's UI, Hephaestus,
/// calls `http://localhost:8007/api/v1/...` from a page served on port 8080).
///
/// It sits outside the API-key check: a browser's preflight (`OPTIONS` with
/// `Access-Control-Request-Method`) never carries credentials, so it is answered here, and
/// the real request then needs its key as any other. Error answers carry the headers too,
/// so a page can read a 401's body. An origin that is not allowed gets no CORS header at
/// all (its preflight a 403), and the browser keeps the answer from the page.
struct CORSMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Lower-cased origins; `*` allows any.
    let origins: Set<String>

    /// Request headers a page may send: the body type, both key headers, the stream cursor.
    static var allowedHeaders: String { "Content-Type, Authorization, X-API-Key, Last-Event-ID, Idempotency-Key" }
    static var allowedMethods: String { "GET, POST, PUT, PATCH, DELETE, OPTIONS" }
    /// Answer headers a page may read beyond the CORS-safelisted ones.
    static var exposedHeaders: String { "Location, Retry-After, X-Request-ID" }

    init(origins: [String]) {
        self.origins = Set(origins.map { $0.lowercased() })
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin] else {
            return try await next(request, context)
        }
        let allowed = allows(origin)
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            guard allowed else {
                // Answered here (this middleware sits outside the error middleware), as the
                // error middleware would: the stable JSON error body, no CORS header.
                let refusal = HarmoniaError(
                    .forbidden, "origin \(origin) may not call this server from a browser (allowed: server.cors_origins)")
                return HTTPErrorMapping.response(for: refusal, request: request, logger: context.logger)
            }
            var headers = HTTPFields()
            headers[.accessControlAllowOrigin] = origin
            headers[.accessControlAllowMethods] = Self.allowedMethods
            headers[.accessControlAllowHeaders] = request.headers[.accessControlRequestHeaders] ?? Self.allowedHeaders
            headers[.accessControlMaxAge] = "600"
            headers[.vary] = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
            return Response(status: .noContent, headers: headers)
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            guard allowed else { throw error }
            // The error middleware inside this one turns errors into responses; anything that
            // still escapes is answered as it would be, with the headers added.
            response = HTTPErrorMapping.response(for: error, request: request, logger: context.logger)
        }
        if allowed {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlExposeHeaders] = Self.exposedHeaders
            response.headers[values: .vary].append("Origin")
        }
        return response
    }

    /// Exact, case-insensitive match (`*` matches any origin).
    func allows(_ origin: String) -> Bool {
        origins.contains("*") || origins.contains(origin.lowercased())
    }
}

import HarmoniaCore
import Hummingbird

/// Turns every error thrown below it into a JSON error response, and an unknown route into
/// 404 or, when the path exists with other methods, 405.
///
/// Outermost middleware, so that even authentication and body-limit failures get the
/// `{"detail", "code"}` body.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && context.endpointPath == "NotFound" {
            return unmatched(request, context: context)
        } catch {
            return HTTPErrorMapping.response(for: error, request: request, logger: context.logger)
        }
    }

    /// The router found no route for method and path.
    private func unmatched(_ request: Request, context: Context) -> Response {
        let allowed = RouteCatalog.allowedMethods(for: request.uri.path)
        guard !allowed.isEmpty else {
            return HTTPErrorMapping.response(
                for: HarmoniaError(.notFound, "no route for \(request.method) \(request.uri.path)"),
                request: request, logger: context.logger)
        }
        var headers = HTTPFields()
        headers[.allow] = allowed.joined(separator: ", ")
        return HTTPErrorMapping.response(
            for: HTTPError(
                .methodNotAllowed, headers: headers,
                message: "\(request.method) is not allowed on \(request.uri.path); use \(allowed.joined(separator: ", "))"),
            request: request, logger: context.logger)
    }
}

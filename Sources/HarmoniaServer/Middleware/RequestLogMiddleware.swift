import Hummingbird
import Logging

/// One debug line per request with method, path, status and duration.
///
/// At debug, not info: a busy server would otherwise log more about requests than about
/// executions. Errors are logged where they are mapped (`HTTPErrorMapping`).
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        context.logger.debug(
            "request",
            metadata: [
                "method": "\(request.method)", "path": "\(request.uri.path)",
                "status": "\(response.status.code)", "duration": "\(ContinuousClock.now - start)",
            ])
        return response
    }
}

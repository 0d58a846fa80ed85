import HarmoniaAPIModels
import HarmoniaCore
import Hummingbird
import Logging
import NIOCore

/// The one place where errors become HTTP statuses and bodies.
///
/// Inner layers throw `HarmoniaError` with a stable code and know nothing of HTTP; this
/// maps the code to a status. Anything unrecognised is a 500 whose body says nothing
/// internal (the real error is logged), so no stack detail or SQL reaches a client.
enum HTTPErrorMapping {
    /// Codes a client causes by sending something malformed.
    static let badRequestCodes: Set<HarmoniaError.Code> = [
        .invalidJSON, .invalidRequest, .invalidInput, .invalidParameters,
        // A task names an action its (known) component does not declare.
        .unknownAction,
    ]
    /// Codes of a well-formed workflow definition that does not validate.
    static let unprocessableCodes: Set<HarmoniaError.Code> = [
        .invalidDefinition, .unknownDependency, .dependencyCycle, .duplicateTaskID, .emptyWorkflow,
        .malformedExpression, .unknownExpressionRoot, .unknownTaskReference, .invalidRetryPolicy,
        .invalidTemplate, .undeclaredParameter, .invalidSchedule,
    ]

    /// Adapter failure codes that mean "your input", for a directly run action (422, not 502).
    static let adapterInputCodes: Set<String> = [
        "invalid_input", "invalid_request", "invalid_parameters", "validation_error", "unknown_action",
    ]

    /// Server-side codes with no `HarmoniaError.Code` counterpart.
    static let methodNotAllowed = "method_not_allowed"
    static let internalError = "internal_error"

    /// The HTTP status for a Harmonia error code; nil for codes that are the server's fault.
    static func status(for code: HarmoniaError.Code) -> HTTPResponse.Status? {
        if badRequestCodes.contains(code) { return .badRequest }
        if unprocessableCodes.contains(code) { return .unprocessableContent }
        switch code {
        case .notFound: return .notFound
        case .invalidState, .conflict, .idempotencyKeyReused: return .conflict
        case .payloadTooLarge: return .contentTooLarge
        case .unauthorized: return .unauthorized
        case .forbidden: return .forbidden
        case .notReady, .componentUnavailable, .storageUnavailable, .overloaded: return .serviceUnavailable
        default: return nil
        }
    }

    /// The error response for anything thrown by a route or middleware.
    static func response(for error: any Error, request: Request, logger: Logger) -> Response {
        switch error {
        case let error as HarmoniaError:
            guard let status = status(for: error.code) else {
                return internalError(error, request: request, logger: logger)
            }
            var headers = extraHeaders(status)
            if error.code == .overloaded { headers[.retryAfter] = "1" }
            return JSONResponse(status: status, body: APIErrorBody(error), headers: headers).makeResponse()
        case let error as HTTPError:
            return response(for: error, request: request, logger: logger)
        case let error as ComponentActionFailure:
            // The adapter refused the input, or the built-in component failed as its input asked
            // (422); or the component behind the adapter failed (502). Its code as is.
            let status: HTTPResponse.Status =
                error.builtin || adapterInputCodes.contains(error.failure.code) ? .unprocessableContent : .badGateway
            return JSONResponse(
                status: status, body: APIErrorBody(detail: error.failure.message, code: error.failure.code)
            ).makeResponse()
        case is NIOTooManyBytesError:
            return response(
                for: HarmoniaError(.payloadTooLarge, "the request body is larger than the server accepts"),
                request: request, logger: logger)
        default:
            return internalError(error, request: request, logger: logger)
        }
    }

    /// Hummingbird's own errors (unknown route, body too large...) in Harmonia's body shape.
    private static func response(for error: HTTPError, request: Request, logger: Logger) -> Response {
        let code: String
        switch error.status {
        case .notFound: code = HarmoniaError.Code.notFound.rawValue
        case .contentTooLarge: code = HarmoniaError.Code.payloadTooLarge.rawValue
        case .badRequest: code = HarmoniaError.Code.invalidRequest.rawValue
        case .unauthorized: code = HarmoniaError.Code.unauthorized.rawValue
        case .methodNotAllowed: code = methodNotAllowed
        case .serviceUnavailable: code = HarmoniaError.Code.notReady.rawValue
        default:
            if error.status.code >= 500 { return internalError(error, request: request, logger: logger) }
            code = "http_\(error.status.code)"
        }
        let detail = error.body ?? error.status.reasonPhrase
        var headers = error.headers
        for field in extraHeaders(error.status) { headers.append(field) }
        return JSONResponse(status: error.status, body: APIErrorBody(detail: detail, code: code), headers: headers)
            .makeResponse()
    }

    private static func internalError(_ error: any Error, request: Request, logger: Logger) -> Response {
        logger.error(
            "request failed with an internal error",
            metadata: ["method": "\(request.method)", "path": "\(request.uri.path)", "error": "\(error)"])
        return JSONResponse(
            status: .internalServerError,
            body: APIErrorBody(detail: "internal server error; the server log has the details", code: internalError)
        ).makeResponse()
    }

    /// `WWW-Authenticate` on 401, as RFC 9110 asks.
    private static func extraHeaders(_ status: HTTPResponse.Status) -> HTTPFields {
        var headers = HTTPFields()
        if status == .unauthorized {
            headers[.wwwAuthenticate] = #"Bearer realm="harmonia""#
        }
        return headers
    }
}

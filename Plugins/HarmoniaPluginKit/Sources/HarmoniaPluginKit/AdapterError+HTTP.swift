/// HTTP outcome normalisation, as every Tekton adapter needs it (tekton.md):
///
/// | outcome | code | retryable |
/// |---|---|---|
/// | connection refused/reset, DNS, TLS | `component_unreachable` | yes |
/// | no answer within the timeout | `timeout` | yes |
/// | 429 | `rate_limited` | yes |
/// | 502, 503, 504 | `upstream_unavailable` | yes |
/// | 404 with body `{"detail": "Not Found"}` (route not served by that build) | `route_unavailable` | no |
/// | other 404 | `not_found` | no |
/// | 400 | `bad_request` | no |
/// | 422 | `unprocessable_request` | no |
/// | 500 and other 5xx | `component_error` | no |
/// | other non-2xx | `http_error` | no |
extension AdapterError {
    /// The error for a non-2xx answer, or nil for a 2xx one. The message carries the
    /// component's `detail`/`message`/`error` field when the body has one.
    public static func normalizing(_ response: HostHTTPResponse, component: String, action: String) -> AdapterError? {
        let status = response.status
        guard !(200..<300).contains(status) else { return nil }
        let body = try? response.json()
        let detail = body?["detail"]?.stringValue ?? body?["message"]?.stringValue ?? body?["error"]?.stringValue
        let code: String
        let retryable: Bool
        switch status {
        case 429: (code, retryable) = ("rate_limited", true)
        case 502, 503, 504: (code, retryable) = ("upstream_unavailable", true)
        case 404 where body == ["detail": "Not Found"]: (code, retryable) = ("route_unavailable", false)
        case 404: (code, retryable) = ("not_found", false)
        case 400: (code, retryable) = ("bad_request", false)
        case 422: (code, retryable) = ("unprocessable_request", false)
        case 500..<600: (code, retryable) = ("component_error", false)
        default: (code, retryable) = ("http_error", false)
        }
        var message = "\(component) answered HTTP \(status) to \(action)"
        if code == "route_unavailable" {
            message += ": the route is not served by this \(component) build"
        } else if let detail, !detail.isEmpty {
            message += ": \(detail.prefix(500))"
        }
        return AdapterError(code: code, message: message, retryable: retryable, httpStatus: status)
    }

    /// The error for a request that got no HTTP answer at all.
    public static func normalizing(_ error: HostHTTPError, component: String, action: String) -> AdapterError {
        switch error.kind {
        case .connectFailed:
            return AdapterError(
                code: "component_unreachable", message: "\(component) is unreachable: \(error.message)", retryable: true)
        case .timeout:
            return AdapterError(code: "timeout", message: "\(component) did not answer \(action) in time", retryable: true)
        case .canceled:
            return AdapterError(code: "canceled", message: "\(action) was canceled", retryable: false)
        case .invalidRequest:
            return AdapterError(code: "invalid_request", message: "bad HTTP request: \(error.message)", retryable: false)
        case .other:
            return AdapterError(code: "component_unreachable", message: "\(component): \(error.message)", retryable: true)
        }
    }
}

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
/// | 422 | `unprocessable_request` (with FastAPI's field list) | no |
/// | 500 and other 5xx | `component_error` | no |
/// | other non-2xx | `http_error` | no |
extension AdapterError {
    /// The error for a non-2xx answer, or nil for a 2xx one. The message carries the
    /// component's `detail`/`message`/`error` field when the body has one; FastAPI's
    /// validation answer (`{"detail": [{"loc", "msg", "type"}, ...]}`) becomes
    /// `field: message; ...` in the message and a `fields` list in the details, so the
    /// task error says which field the component refused.
    public static func normalizing(_ response: HostHTTPResponse, component: String, action: String) -> AdapterError? {
        let status = response.status
        guard !(200..<300).contains(status) else { return nil }
        let body = try? response.json()
        let fields = body?["detail"]?.arrayValue.map(Self.validationFields) ?? []
        let detail =
            body?["detail"]?.stringValue ?? body?["message"]?.stringValue ?? body?["error"]?.stringValue
            ?? (fields.isEmpty ? nil : fields.map { "\($0.field): \($0.message)" }.joined(separator: "; "))
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
        let details: PluginJSON? =
            fields.isEmpty
            ? nil
            : ["fields": .array(fields.map { ["field": .string($0.field), "message": .string($0.message), "type": .string($0.type)] })]
        return AdapterError(code: code, message: message, retryable: retryable, httpStatus: status, details: details)
    }

    /// FastAPI's validation errors as `(field, message, type)`: the field is the `loc` path
    /// without its leading `body`/`query`/`path` (`start_date`, `steps.0.type`).
    static func validationFields(_ errors: [PluginJSON]) -> [(field: String, message: String, type: String)] {
        errors.compactMap { error in
            guard let message = error["msg"]?.stringValue else { return nil }
            var location = error["loc"]?.arrayValue?.map { $0.stringValue ?? $0.intValue.map(String.init) ?? $0.jsonString() } ?? []
            if let first = location.first, ["body", "query", "path", "header"].contains(first), location.count > 1 {
                location.removeFirst()
            }
            return (location.isEmpty ? "(request)" : location.joined(separator: "."), message, error["type"]?.stringValue ?? "")
        }
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

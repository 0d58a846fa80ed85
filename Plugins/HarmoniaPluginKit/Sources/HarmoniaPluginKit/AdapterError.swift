/// A failed action, with what the engine needs to decide about a retry.
///
/// It reaches the host as the outcome's `error_code`, `error_message`, `retryable`, and a
/// details object `{component, action, http_status, code, message, retryable, ...details}`.
public struct AdapterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable snake_case code (`route_unavailable`, `upstream_unavailable`, ...).
    public var code: String
    /// Text for people; never secrets.
    public var message: String
    /// Whether trying again might succeed.
    public var retryable: Bool
    /// The component's HTTP status, when the failure came from an HTTP answer.
    public var httpStatus: Int?
    /// Extra structured information (an object), merged into the outcome's details.
    public var details: PluginJSON?

    public init(code: String, message: String, retryable: Bool, httpStatus: Int? = nil, details: PluginJSON? = nil) {
        self.code = code
        self.message = message
        self.retryable = retryable
        self.httpStatus = httpStatus
        self.details = details
    }

    public var description: String { "\(code): \(message)" }

    /// The input does not fit the action (a missing or mistyped field); never retryable.
    public static func invalidInput(_ message: String) -> AdapterError {
        AdapterError(code: "invalid_input", message: message, retryable: false)
    }

    /// The component has no such action; never retryable.
    public static func unknownAction(_ action: String, component: String) -> AdapterError {
        AdapterError(code: "unknown_action", message: "component '\(component)' has no action '\(action)'", retryable: false)
    }

    /// The details object the outcome carries.
    func detailsJSON(component: String, action: String) -> PluginJSON {
        var object = details?.objectValue ?? [:]
        object["component"] = .string(component)
        object["action"] = .string(action)
        object["code"] = .string(code)
        object["message"] = .string(message)
        object["retryable"] = .bool(retryable)
        if let httpStatus { object["http_status"] = .integer(httpStatus) }
        return .object(object)
    }
}

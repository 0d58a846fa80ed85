/// Why a task attempt failed, as recorded on the task and in `task_failed` events.
public struct TaskFailure: Sendable, Hashable, Codable, Error {
    /// Stable code: `timeout`, `component_unavailable`, `expression_error`, an adapter's own...
    public var code: String
    public var message: String
    /// Whether trying again might succeed; the retry policy only retries retryable failures.
    public var retryable: Bool
    /// Extra structured information from the adapter (HTTP status, component, ...).
    public var details: JSONValue?

    public init(code: String, message: String, retryable: Bool, details: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.retryable = retryable
        self.details = details
    }

    public init(_ code: HarmoniaError.Code, _ message: String, retryable: Bool, details: JSONValue? = nil) {
        self.init(code: code.rawValue, message: message, retryable: retryable, details: details)
    }
}

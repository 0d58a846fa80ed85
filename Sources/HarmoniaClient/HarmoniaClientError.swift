import HarmoniaCore

/// A failure talking to a Harmonia server, carrying the server's stable `code`.
///
/// The server answers every failure with `{"detail", "code"}`; this keeps both plus the HTTP
/// status so callers can branch on `code` (stable across versions) and show `detail` to
/// people. Failures that never reached the server (connection refused, a timeout, a body
/// that is not JSON) get client-side codes from `HarmoniaClientError.Code` with `status` 0.
public struct HarmoniaClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The server's stable snake_case code, such as `not_found` or `invalid_state`.
    public var code: String
    /// The human-readable explanation, as the server wrote it.
    public var detail: String
    /// The HTTP status of the response, or 0 when no response was received.
    public var status: Int
    /// The JSON path of the offending value, when the server named one.
    public var path: String?
    /// Every problem the server found, for validation errors that report several at once
    /// (`invalid_parameters` names each parameter here); empty otherwise.
    public var problems: [HarmoniaError.Problem]

    public init(code: String, detail: String, status: Int, path: String? = nil, problems: [HarmoniaError.Problem] = []) {
        self.code = code
        self.detail = detail
        self.status = status
        self.path = path
        self.problems = problems
    }

    /// The detail and code, then every problem on its own line when the server found more
    /// than one (a definition with three mistakes is fixed in one round, not three).
    public var description: String {
        let head = status > 0 ? "\(detail) (code: \(code), HTTP \(status))" : "\(detail) (code: \(code))"
        guard problems.count > 1 else { return head }
        let lines = problems.map { problem in
            "  - \(problem.message) (\(problem.code)\(problem.path.map { " at \($0)" } ?? ""))"
        }
        return ([head, "\(problems.count) problems:"] + lines).joined(separator: "\n")
    }
}

extension HarmoniaClientError {
    /// Codes for failures that the client detects itself; server codes pass through as sent.
    public enum Code {
        /// The server could not be reached (refused, reset, DNS, TLS).
        public static let connectionFailed = "connection_failed"
        /// A request, or `waitForCompletion`, ran past its deadline.
        public static let timeout = "timeout"
        /// The response was not the JSON the contract promises.
        public static let invalidResponse = "invalid_response"
        /// The caller passed something that cannot be sent (e.g. a definition that is not JSON).
        public static let invalidArgument = "invalid_argument"
    }
}

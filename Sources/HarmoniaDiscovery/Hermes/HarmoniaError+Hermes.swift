import HarmoniaCore

extension HarmoniaError.Code {
    /// Hermes could not be reached (connection refused, timeout, DNS).
    public static let hermesUnreachable: Self = "hermes_unreachable"
    /// Hermes answered 401: the token is unknown, expired or another component's.
    public static let hermesUnauthorized: Self = "hermes_unauthorized"
    /// Hermes answered with an unexpected status.
    public static let hermesRejected: Self = "hermes_rejected"
    /// Hermes answered 2xx with a body Harmonia cannot read.
    public static let hermesInvalidResponse: Self = "hermes_invalid_response"
    /// No adapter could be provided for a discovered or configured component.
    public static let adapterUnavailable: Self = "adapter_unavailable"
}

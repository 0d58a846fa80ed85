/// When a host HTTP request must have its complete answer, and which limit that is.
///
/// AsyncHTTPClient's own deadline covers connecting and the response head, not a body that
/// is still streaming: a component that sends headers and then trickles would keep the
/// request, and the plugin's call, alive past every timeout. So the host races the whole
/// exchange against the earliest of the request's timeout, the invocation's deadline and,
/// after a cancel, the end of the cleanup window, and names the one that hit.
struct HTTPTimeLimit: Sendable, Hashable {
    /// Which limit `instant` is.
    enum Reason: Sendable, Hashable {
        /// The request's own `timeout_ms` (or the host's default).
        case timeout(Duration)
        /// The deadline of the invocation the request serves.
        case invocationDeadline
        /// The end of the invocation's cleanup window after a cancel.
        case cleanupWindow
    }

    var instant: ContinuousClock.Instant
    var reason: Reason

    /// The earliest limit; on a tie the request's own timeout is named, then the deadline.
    static func earliest(
        timeout: Duration, scope: InvocationTable.RequestScope, now: ContinuousClock.Instant
    ) -> HTTPTimeLimit {
        var limit = HTTPTimeLimit(instant: now.advanced(by: timeout), reason: .timeout(timeout))
        if let deadline = scope.deadline, deadline < limit.instant {
            limit = HTTPTimeLimit(instant: deadline, reason: .invocationDeadline)
        }
        if let end = scope.cleanupEnd, end < limit.instant {
            limit = HTTPTimeLimit(instant: end, reason: .cleanupWindow)
        }
        return limit
    }

    /// The `error_message` of the `HARMONIA_HTTP_TIMEOUT` answer when the limit hit.
    var message: String {
        switch reason {
        case .timeout(let timeout):
            "no complete answer (head and body) within the request's timeout of \(CleanupWindow.text(timeout))"
        case .invocationDeadline:
            "no complete answer (head and body) by the deadline of the invocation"
        case .cleanupWindow:
            "no complete answer (head and body) before the invocation's cleanup window after its cancel ended"
        }
    }
}

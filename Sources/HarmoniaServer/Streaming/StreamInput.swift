import HarmoniaCore

/// Everything a stream connection's writing loop reacts to, merged into one sequence so
/// that one loop (and so one writer) decides what goes on the wire, in order.
enum StreamInput: Sendable {
    /// A committed event from the live subscription.
    case event(ExecutionEvent)
    /// The connection fell more than its buffer behind; the events before this input are
    /// still delivered, nothing after it is.
    case lagged
    /// Nothing was written for a keepalive interval.
    case keepalive
    /// A frame the WebSocket client sent.
    case client(ClientFrame)
    /// The WebSocket client closed its side.
    case clientClosed
}

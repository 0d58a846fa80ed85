/// The time after a cancel during which a call's new host HTTP requests are still served.
///
/// Cancelling a call stops the requests it was making, but an adapter usually has
/// something to undo remotely (Ergon's sandbox, a Synthesis execution), and it can only
/// reach the component through the host. So from the cancel on, the call may start new
/// requests for a bounded time, each cut at the window's end; later ones are refused. The
/// window outlives the host's wait for the call, so a plugin that completes first and
/// cleans up afterwards, or whose call ended at its deadline, is served too.
struct CleanupWindow: Sendable, Hashable {
    /// When the cancel (or the deadline) reached the call.
    var opened: ContinuousClock.Instant
    /// `PluginsConfiguration.cancelGracePeriod`.
    var length: Duration

    var end: ContinuousClock.Instant { opened.advanced(by: length) }

    func isOpen(at now: ContinuousClock.Instant) -> Bool { now < end }

    /// Why a request made after the window is refused (for the plugin's `error_message`).
    func refusal(_ id: UInt64, _ context: InvocationTable.Context, now: ContinuousClock.Instant) -> String {
        "invocation \(id) (\(context.component).\(context.action)) was canceled \(Self.text(opened.duration(to: now))) ago "
            + "and its cleanup window of \(Self.text(length)) is over: request refused"
    }

    /// `1.5 s`, `0.25 s`: durations as people read them in a log or an error message.
    static func text(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let hundredths = (Double(seconds) + Double(attoseconds) / 1e18) * 100
        let rounded = hundredths.rounded() / 100
        return rounded == rounded.rounded() ? "\(Int(rounded)) s" : "\(rounded) s"
    }
}

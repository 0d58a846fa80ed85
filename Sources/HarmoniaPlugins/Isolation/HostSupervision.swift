/// Decides, for one isolated component, what follows each start and each end of its plugin
/// host child: register the adapter, restart after a backoff, or give up (crash loop).
///
/// A pure state machine in the house pattern (no clock, no I/O): the caller passes `now`
/// and performs the returned actions. Tested in `HostSupervisionTests`.
struct HostSupervision: Sendable {
    enum Phase: Sendable, Equatable {
        /// A child is being started (the first one, or a restart).
        case starting
        /// The child serves calls.
        case running
        /// The child ended; a restart is due after the backoff.
        case waiting
        /// Too many crashes in the window: unavailable until a reload replaces the adapter.
        case gaveUp
        /// The adapter left service (reload, shutdown): nothing restarts.
        case retired
    }

    enum Action: Sendable, Equatable {
        /// The child is up: (re-)register the adapter so waiting tasks dispatch.
        case register
        /// Keep the component known but unavailable with this reason (tasks wait).
        case markUnavailable(String)
        /// Start a new child after this long.
        case restart(after: Duration)
        /// Stop the child (it is no longer wanted).
        case stop
    }

    let crashLimit: Int
    let crashWindow: Duration
    let initialBackoff: Duration
    let maxBackoff: Duration
    private(set) var phase: Phase = .starting
    /// When the recent ends happened, oldest first, within `crashWindow`.
    private(set) var recentEnds: [ContinuousClock.Instant] = []

    init(settings: IsolationSettings) {
        crashLimit = max(1, settings.crashLimit)
        crashWindow = settings.crashWindow
        initialBackoff = settings.initialBackoff
        maxBackoff = settings.maxBackoff
    }

    /// A child is up and its instance exists.
    mutating func started() -> [Action] {
        switch phase {
        case .starting:
            phase = .running
            return [.register]
        case .retired, .gaveUp:
            return [.stop]
        case .running, .waiting:
            return []
        }
    }

    /// The child ended (crashed, was killed as hung, or could not start); `reason` says how.
    mutating func ended(reason: String, now: ContinuousClock.Instant) -> [Action] {
        guard phase == .running || phase == .starting else { return [] }
        recentEnds.append(now)
        recentEnds.removeAll { $0.duration(to: now) > crashWindow }
        if recentEnds.count >= crashLimit {
            phase = .gaveUp
            return [
                .markUnavailable(
                    "\(reason); its plugin host ended \(recentEnds.count) times within \(crashWindow), so it is not restarted until a reload"
                )
            ]
        }
        phase = .waiting
        var backoff = initialBackoff
        for _ in 1..<recentEnds.count { backoff = min(maxBackoff, backoff * 2) }
        backoff = min(maxBackoff, backoff)
        return [.markUnavailable("\(reason); its plugin host restarts in \(backoff)"), .restart(after: backoff)]
    }

    /// The backoff is over: a new child is being started (false: nothing to start).
    mutating func restarting() -> Bool {
        guard phase == .waiting else { return false }
        phase = .starting
        return true
    }

    /// A reload found the file unchanged: a host given up on (crash loop) gets another go.
    mutating func revive() -> [Action] {
        guard phase == .gaveUp else { return [] }
        recentEnds = []
        phase = .waiting
        return [.restart(after: .zero)]
    }

    /// The adapter left service.
    mutating func retire() -> [Action] {
        guard phase != .retired else { return [] }
        phase = .retired
        return [.stop]
    }
}

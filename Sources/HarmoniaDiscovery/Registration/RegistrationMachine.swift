/// The decisions of the registration loop, without I/O: what to do next and when.
///
/// The loop asks `next()`, waits the delay, performs the step, and reports the outcome.
/// Kept pure so every path (a Hermes restart that forgot us, an expired token, Hermes down
/// at start-up, Hermes down between heartbeats) is tested without servers or clocks.
struct RegistrationMachine: Sendable {
    enum Phase: Sendable, Hashable {
        case unregistered
        case registered(HermesToken)
    }

    /// What the loop does next.
    enum Step: Sendable, Hashable {
        case register
        case heartbeat(HermesToken)
    }

    private(set) var phase: Phase = .unregistered
    /// Consecutive failures to reach Hermes (reset by any answer).
    private(set) var failures = 0
    /// False while the latest exchange failed: Hermes may still list us, but we cannot tell.
    private(set) var confirmed = false
    let heartbeatInterval: Duration
    let backoff: Backoff

    init(heartbeatInterval: Duration, backoff: Backoff) {
        self.heartbeatInterval = heartbeatInterval
        self.backoff = backoff
    }

    /// The token to unregister with at shutdown.
    var token: HermesToken? {
        if case .registered(let token) = phase { return token }
        return nil
    }

    /// Whether `/health` may say `registered: true`.
    var isRegistered: Bool { token != nil && confirmed }

    /// The next step and how long to wait before it.
    func next(random: Double = Double.random(in: -1...1)) -> (step: Step, delay: Duration) {
        switch phase {
        case .unregistered:
            return (.register, backoff.delay(afterFailures: failures, random: random))
        case .registered(let token):
            guard failures > 0 else { return (.heartbeat(token), heartbeatInterval) }
            // Hermes is down: try sooner than the heartbeat interval, so a restarted Hermes
            // (which answers 401 and wants a new registration) sees us again quickly.
            return (.heartbeat(token), min(backoff.delay(afterFailures: failures, random: random), heartbeatInterval))
        }
    }

    mutating func registered(_ token: HermesToken) {
        phase = .registered(token)
        failures = 0
        confirmed = true
    }

    /// Hermes refused or could not be reached; try again after a backoff.
    mutating func registrationFailed() {
        failures += 1
        confirmed = false
    }

    mutating func heartbeatSucceeded() {
        failures = 0
        confirmed = true
    }

    /// 401: the token expired (or a Hermes with another secret answers). Register again at
    /// once (same component id) and carry on.
    mutating func heartbeatRejected() {
        phase = .unregistered
        failures = 0
        confirmed = false
    }

    /// Hermes' registry, read after our latest registration, does not list us: Hermes
    /// restarted (it keeps its registry in memory only, but its tokens are signed with a
    /// fixed secret, so heartbeats still get 200 and never tell). Register again at once.
    /// Returns whether that changed anything (it does nothing while unregistered).
    @discardableResult
    mutating func notListed() -> Bool {
        guard case .registered = phase else { return false }
        phase = .unregistered
        failures = 0
        confirmed = false
        return true
    }

    /// Hermes could not be reached or answered oddly: keep the token, retry with backoff.
    mutating func heartbeatFailed() {
        failures += 1
        confirmed = false
    }
}

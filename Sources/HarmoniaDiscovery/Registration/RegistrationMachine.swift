/// The decisions of the registration loop, without I/O: what to do next and when.
///
/// The loop asks `next()`, waits the delay, performs the step, and reports the outcome.
/// Kept pure so every path (a Hermes restart that forgot us, an expired token, Hermes down
/// at start-up, Hermes down between heartbeats) is tested without servers or clocks.
struct RegistrationMachine: Sendable {
    enum Phase: Sendable, Hashable {
        case unregistered
        case registered(HermesToken)
        /// Heartbeats stopped reaching Hermes. It may have restarted, and a restarted
        /// Hermes has forgotten its registry while it still accepts our old token, so the
        /// next contact is a registration, not a heartbeat. The token is kept only to
        /// unregister with if we stop before that.
        case lapsed(HermesToken)
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
        switch phase {
        case .registered(let token), .lapsed(let token): return token
        case .unregistered: return nil
        }
    }

    /// Whether `/health` may say `registered: true`.
    var isRegistered: Bool {
        if case .registered = phase { return confirmed }
        return false
    }

    /// The next step and how long to wait before it.
    func next(random: Double = Double.random(in: -1...1)) -> (step: Step, delay: Duration) {
        switch phase {
        case .unregistered:
            return (.register, backoff.delay(afterFailures: failures, random: random))
        case .registered(let token):
            return (.heartbeat(token), heartbeatInterval)
        case .lapsed:
            // Hermes is down: try sooner than the heartbeat interval, so a restarted Hermes
            // lists us again as soon as it answers.
            return (.register, min(backoff.delay(afterFailures: failures, random: random), heartbeatInterval))
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
        // Unregistered or lapsed: the next step is a registration already.
        guard case .registered = phase else { return false }
        phase = .unregistered
        failures = 0
        confirmed = false
        return true
    }

    /// Hermes could not be reached or answered oddly: register again with backoff once it
    /// answers (seen with the real Hermes: after a restart, heartbeats with the old token
    /// got 200 for a whole poll interval while its registry did not list us).
    mutating func heartbeatFailed() {
        if case .registered(let token) = phase { phase = .lapsed(token) }
        failures += 1
        confirmed = false
    }
}

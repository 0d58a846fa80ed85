/// Exponential backoff for talking to a Hermes that is down: `initial · 2^(failures-1)`,
/// capped at `maximum`, with up to ±10 % jitter so that several Harmonia nodes restarted
/// together do not knock on Hermes in lockstep.
public struct Backoff: Sendable, Hashable {
    public var initial: Duration
    public var maximum: Duration
    /// Fraction of the delay added or removed at random (0 disables jitter).
    public var jitter: Double

    public init(initial: Duration, maximum: Duration, jitter: Double = 0.1) {
        self.initial = initial
        self.maximum = max(initial, maximum)
        self.jitter = jitter
    }

    /// The delay before the next attempt after `failures` consecutive failures (≥ 1).
    public func delay(afterFailures failures: Int, random: Double = Double.random(in: -1...1)) -> Duration {
        guard failures > 0 else { return .zero }
        var delay = initial
        for _ in 1..<min(failures, 32) {
            delay *= 2
            if delay >= maximum { break }
        }
        delay = min(delay, maximum)
        return delay * (1 + jitter * random)
    }
}

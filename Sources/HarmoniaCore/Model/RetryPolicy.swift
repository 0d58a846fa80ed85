import Foundation

/// How a failed task is retried.
///
/// A task without a `retry_policy` is not retried. A policy object with fields left out
/// takes the defaults below (3 retries, 1 s doubling up to 60 s, ±10 % jitter), so
/// `{"retry_policy": {}}` means "retry the usual way".
public struct RetryPolicy: Sendable, Hashable, Codable {
    /// Retries after the first attempt; 0 disables retrying.
    public var maxRetries: Int
    /// Delay before the first retry, in seconds.
    public var initialDelay: Double
    /// Upper bound of any delay, in seconds.
    public var maxDelay: Double
    /// Factor applied to the delay after each retry.
    public var backoffMultiplier: Double
    /// Relative jitter: 0.1 spreads each delay uniformly over ±10 %.
    public var jitter: Double
    /// Error codes worth retrying; nil retries every retryable error.
    public var retryOn: [String]?

    public init(
        maxRetries: Int = 3, initialDelay: Double = 1, maxDelay: Double = 60,
        backoffMultiplier: Double = 2, jitter: Double = 0.1, retryOn: [String]? = nil
    ) {
        self.maxRetries = maxRetries
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.backoffMultiplier = backoffMultiplier
        self.jitter = jitter
        self.retryOn = retryOn
    }

    enum CodingKeys: String, CodingKey {
        case maxRetries = "max_retries"
        case initialDelay = "initial_delay"
        case maxDelay = "max_delay"
        case backoffMultiplier = "backoff_multiplier"
        case jitter
        case retryOn = "retry_on"
    }

    /// The delay before retry number `retry` (1-based), before jitter is applied.
    public func baseDelay(forRetry retry: Int) -> Double {
        let exponent = Double(max(0, retry - 1))
        let raw = initialDelay * pow(backoffMultiplier, exponent)
        return min(maxDelay, raw)
    }

    /// The delay before retry number `retry`, with jitter drawn from `unit` in [0, 1).
    public func delay(forRetry retry: Int, unit: Double) -> Double {
        let base = baseDelay(forRetry: retry)
        let spread = base * jitter * (unit * 2 - 1)
        return max(0, min(maxDelay, base + spread))
    }

    /// Whether an error with `code` may be retried under this policy.
    public func allows(code: String) -> Bool {
        guard let retryOn else { return true }
        return retryOn.contains(code)
    }
}


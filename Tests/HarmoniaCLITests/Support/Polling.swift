/// The failure of a condition that did not become true before its deadline.
struct PollTimeout: Error, CustomStringConvertible {
    var description: String
}

/// Re-checks `condition` every `interval` until it returns a value, or throws `PollTimeout`
/// naming `what` once `timeout` has passed. Tests synchronise only through this: never a
/// fixed sleep, so they are as fast as the system allows and fail with a reason when it stalls.
func poll<T>(
    _ what: String, timeout: Duration, interval: Duration = .milliseconds(25),
    _ condition: () async throws -> T?
) async throws -> T {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while true {
        if let value = try await condition() { return value }
        guard clock.now < deadline else {
            throw PollTimeout(description: "timed out after \(timeout) waiting for \(what)")
        }
        try await Task.sleep(for: interval, clock: clock)
    }
}

/// `poll` for a boolean condition.
func pollUntil(
    _ what: String, timeout: Duration, interval: Duration = .milliseconds(25),
    _ condition: () async throws -> Bool
) async throws {
    _ = try await poll(what, timeout: timeout, interval: interval) { try await condition() ? true : nil }
}

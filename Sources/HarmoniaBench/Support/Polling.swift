import HarmoniaCore

/// Waiting for a condition with a deadline: the only way the bench waits for anything.
///
/// Polling never sets a measured time: scenarios take their timestamps where the event
/// happens (a response, a parsed stream frame, a poll that saw the change), and the poll
/// interval bounds only how late a polled observation can be.
enum Polling {
    /// Re-checks `condition` every `interval` until it returns a value; throws
    /// `bench_failed` naming `what` once `timeout` has passed.
    @discardableResult
    static func until<T>(
        _ what: String, timeout: Duration, interval: Duration, _ condition: () async throws -> T?
    ) async throws -> T {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            if let value = try await condition() { return value }
            guard clock.now < deadline else {
                throw HarmoniaError(.benchFailed, "timed out after \(timeout) waiting for \(what)")
            }
            try await Task.sleep(for: interval, clock: clock)
        }
    }
}

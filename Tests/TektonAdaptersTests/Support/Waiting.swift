import Foundation

/// Polls `condition` every few milliseconds until it holds; throws after `timeout` seconds.
/// For waiting on another task's progress without sleeping a guessed amount.
func waitUntil(
    timeout: Double = 10, _ condition: @Sendable () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int(timeout * 1000)))
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(5))
    }
    throw DoubleError("condition not met within \(timeout) s")
}

import Foundation
import HarmoniaPluginKit

/// Polls `condition` every few milliseconds until it holds; throws after `timeout` seconds.
/// For waiting on another task's progress without sleeping a guessed amount. The default
/// deadline is generous: it costs nothing when the condition comes, and a loaded machine
/// running the whole suite in parallel can take many seconds for a few requests.
func waitUntil(
    timeout: Double = 45, _ condition: @Sendable () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now.advanced(by: .milliseconds(Int(timeout * 1000)))
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(5))
    }
    throw DoubleError("condition not met within \(timeout) s")
}

/// Checks that `count` stops growing: after one round trip to `url` (so requests already on
/// their way have landed), it stays the same for `window` seconds. For proving that polling
/// ended; an absence can only be observed over a window.
func expectNoMoreRequests(to url: String, window: Double = 0.2, _ count: @escaping @Sendable () -> Int) async throws -> Bool {
    _ = try await LoopbackHost.perform(.init(method: "GET", url: url + "/health"))
    let settled = count()
    do {
        try await waitUntil(timeout: window) { count() > settled }
        return false
    } catch is DoubleError {
        return true
    }
}

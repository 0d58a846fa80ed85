import Foundation
import Testing

/// Waits until `condition` holds, checking every few milliseconds, and fails the test with
/// `message` if it does not by `timeout`. Polling with a deadline, never a fixed sleep. The
/// default deadline is generous (it costs nothing when the condition comes): with the whole
/// suite running on a loaded 2-core machine, a test task can wait seconds for a thread.
@discardableResult
public func eventually(
    _ message: @autoclosure () -> String, timeout: Duration = .seconds(40),
    sourceLocation: SourceLocation = #_sourceLocation, _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    if try await condition() { return true }
    Issue.record("timed out after \(timeout): \(message())", sourceLocation: sourceLocation)
    return false
}

import Foundation
import HarmoniaCore

/// The engine's time: the `now` of every scheduler step and when its timers fire.
///
/// Injected (`Engine.init(clock:)`) so that tests of timeouts, retries and redelivery run
/// on virtual time, advanced by hand, instead of waiting on real delays that make them slow
/// and flaky on a loaded machine. The scheduler itself reads no clock: the engine passes
/// `now()` into every step, and arms every timer through `sleep(until:)`.
public protocol EngineClock: Sendable {
    /// The current wall-clock time, as stored in events and rows.
    func now() -> Date
    /// Returns once `now()` has reached `deadline` (at once if it has); throws
    /// `CancellationError` when the calling task is canceled first.
    func sleep(until deadline: Date) async throws
}

/// Real time: `Date()` and `Task.sleep`.
public struct SystemEngineClock: EngineClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(until deadline: Date) async throws {
        let delay = deadline.timeIntervalSinceNow
        guard delay > 0 else { return }
        // Clamped: `.seconds(1e21)` traps converting to `Duration`.
        try await Task.sleep(for: .seconds(DurationLimit.clamped(delay)))
    }
}

import Foundation
import HarmoniaCore
import Synchronization

/// Automatic `interval` checkpoints for one engine: the schedule of the running executions
/// and the single timer that wakes the engine loop when the next one is due.
///
/// One timer per engine, not one per execution: when it fires it sends one
/// `.intervalCheckpoints` input, the loop checks every active execution in one pass
/// (`EngineCore.takeIntervalCheckpoints`) and the timer is re-armed for the earliest next
/// due time. Nothing happens per state transition, and with no interval configured the
/// timer is never armed. Starting, resuming or recovering an execution arms it, since
/// those are the only ways a running execution with an interval appears.
final class IntervalCheckpoints: Sendable {
    private struct State {
        var schedule: IntervalCheckpointSchedule
        var armedAt: Date?
        var timer: Task<Void, Never>?
        /// Tells a firing timer whether it is still the armed one.
        var generation = 0
        var stopped = false
    }

    /// The engine's interval, for workflows that set none (nil or 0: off).
    let defaultInterval: Double?
    private let mailbox: Mailbox<EngineInput>
    private let state: Mutex<State>

    init(defaultInterval: Double?, mailbox: Mailbox<EngineInput>, origin: Date = Date()) {
        self.defaultInterval = defaultInterval
        self.mailbox = mailbox
        self.state = Mutex(State(schedule: IntervalCheckpointSchedule(origin: origin)))
    }

    /// The interval executions of `definition` use; nil when they take no interval checkpoints.
    func interval(for definition: WorkflowDefinition) -> Double? {
        guard let seconds = definition.checkpointInterval ?? defaultInterval, seconds > 0 else { return nil }
        // Checked at every entry point; clamped here as well so no stored value can
        // overflow the timer (`1e21` aborted the process at every recovery).
        return DurationLimit.clamped(seconds)
    }

    /// Runs the schedule over the active executions (on the engine loop) and re-arms the
    /// timer for the next due time. Returns the executions to checkpoint now.
    func tick(_ candidates: some Sequence<IntervalCheckpointSchedule.Candidate>, now: Date) -> [String] {
        let (due, next) = state.withLock { $0.schedule.tick(candidates, now: now) }
        if let next { wake(at: next) }
        return due
    }

    /// Makes sure the loop looks at the executions no later than `date`: arms the timer
    /// unless it is already armed for that time or earlier.
    func wake(at date: Date) {
        let replaced: Task<Void, Never>? = state.withLock { state in
            guard !state.stopped else { return nil }
            if let armed = state.armedAt, armed <= date { return nil }
            state.generation += 1
            let generation = state.generation
            let previous = state.timer
            state.armedAt = date
            state.timer = Task.detached { [mailbox, weak self] in
                let delay = DurationLimit.clamped(date.timeIntervalSinceNow)
                if delay > 0 {
                    do { try await Task.sleep(for: .seconds(delay)) } catch { return }
                }
                guard let self, self.fired(generation) else { return }
                mailbox.send(.intervalCheckpoints(self))
            }
            return previous
        }
        replaced?.cancel()
    }

    /// Clears the armed timer if it is still the one that fired.
    private func fired(_ generation: Int) -> Bool {
        state.withLock { state in
            guard state.generation == generation, !state.stopped else { return false }
            state.timer = nil
            state.armedAt = nil
            return true
        }
    }

    /// A checkpoint was taken on request: the execution's interval starts over.
    func checkpointed(_ executionID: String, seq: Int64) {
        state.withLock { $0.schedule.checkpointed(executionID, seq: seq, at: Date()) }
    }

    /// A paused execution was resumed: its interval starts over, and the loop looks again
    /// soon (the timer may have stopped while nothing with an interval was running).
    func resumed(_ executionID: String) {
        let now = Date()
        state.withLock { $0.schedule.resumed(executionID, at: now) }
        wake(at: now)
    }

    /// Cancels the timer for good: the engine loop has stopped.
    func stop() {
        let timer = state.withLock { state in
            state.stopped = true
            state.armedAt = nil
            defer { state.timer = nil }
            return state.timer
        }
        timer?.cancel()
    }
}

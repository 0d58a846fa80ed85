import Foundation

extension WorkflowDefinition {
    /// A copy whose durations all lie within `DurationLimit`: what the engine runs.
    ///
    /// Definitions are range-checked when they are created, but a stored one may predate
    /// those checks or come from a store edited by hand; clamping where the engine reads it
    /// means a bad stored value can never crash a restart (a `1e21` checkpoint interval
    /// aborted the process on every recovery) or wedge an execution (a deadline too far
    /// away to be stored made every commit fail). Returns nil when nothing needed clamping,
    /// so the caller can log once and keep the original otherwise.
    public func clampedToDurationLimits() -> WorkflowDefinition? {
        var copy = self
        var changed = false
        func clamp(_ value: inout Double?) {
            guard let seconds = value, !DurationLimit.isWithinMaximum(seconds) || seconds < 0 else { return }
            value = DurationLimit.clamped(seconds)
            changed = true
        }
        func clamp(_ policy: inout RetryPolicy?) {
            guard var p = policy else { return }
            let before = p
            p.initialDelay = DurationLimit.clamped(p.initialDelay)
            p.maxDelay = max(DurationLimit.clamped(p.maxDelay), p.initialDelay)
            if !p.backoffMultiplier.isFinite || p.backoffMultiplier < 1 { p.backoffMultiplier = 2 }
            if !p.jitter.isFinite || !(0...1).contains(p.jitter) { p.jitter = 0 }
            if p != before {
                policy = p
                changed = true
            }
        }
        clamp(&copy.timeout)
        clamp(&copy.checkpointInterval)
        clamp(&copy.retryPolicy)
        for index in copy.tasks.indices {
            clamp(&copy.tasks[index].timeout)
            clamp(&copy.tasks[index].retryPolicy)
        }
        return changed ? copy : nil
    }
}

import Foundation

/// What the schedule service does about one schedule at `now`: a pure decision over the
/// stored schedule, so the missed-run policy is tested without a clock or a store.
public enum SchedulePlan: Sendable, Hashable {
    /// Nothing is due; look again at `until` (nil: never, the trigger has no due time left).
    case wait(until: Date?)
    /// Start a run for `dueAt`; `missed` earlier due times are folded into it (`run_once`),
    /// and `next` is the cursor afterwards.
    case run(dueAt: Date, missed: Int, next: Date?)
    /// Due times passed while the server was down and `skip` drops them: record `count` of
    /// them (the latest being `latest`) as missed and move the cursor to `next`.
    case skipMissed(count: Int, latest: Date, next: Date?)

    /// Due times counted one by one at most; beyond, a downtime is reported as this many.
    public static let countLimit = 10_000

    /// The plan for `schedule` at `now`.
    ///
    /// A due time is *missed* when the service gets to it more than `lateness` late, or
    /// when another due time came after it before the service got to it: the service acts on
    /// each due time within moments, so only a server that was down (or a store that would
    /// not write) leaves either. A single due time within `lateness` runs whatever the
    /// policy: a restart right at a due time neither loses that run nor (thanks to the
    /// idempotency key) doubles it.
    public static func plan(_ schedule: Schedule, now: Date, lateness: Double) -> SchedulePlan {
        guard let first = schedule.nextDueAt else { return .wait(until: nil) }
        guard !schedule.paused else { return .wait(until: nil) }
        guard first <= now else { return .wait(until: first) }
        var latest = first
        var count = 1
        var next = schedule.nextDue(after: first)
        while let due = next, due <= now {
            latest = due
            count += 1
            if count >= countLimit {
                next = schedule.nextDue(after: now)
                break
            }
            next = schedule.nextDue(after: due)
        }
        let onTime = count == 1 && now.timeIntervalSince(latest) <= lateness
        if onTime || schedule.missedRuns == .runOnce {
            return .run(dueAt: latest, missed: count - 1, next: next)
        }
        return .skipMissed(count: count, latest: latest, next: next)
    }
}

import Foundation
import HarmoniaCore

/// Which running executions are due for an `interval` checkpoint, and when to look again.
///
/// Pure bookkeeping with no clock and no I/O, so every rule is tested without an engine:
/// the engine hands it the active executions at each tick. Per execution it remembers when
/// the interval last started and the log position just after the last checkpoint, because
/// an execution whose log has not moved (a task that runs for an hour) must not pile up
/// identical snapshots.
struct IntervalCheckpointSchedule {
    /// What a tick needs to know of one active execution.
    struct Candidate {
        var id: String
        var status: WorkflowStatus
        /// The execution's log position (`record.lastSeq`).
        var lastSeq: Int64
        var startedAt: Date?
        /// Seconds between its checkpoints; nil or 0: none.
        var interval: Double?
    }

    /// Where one execution stands.
    struct Mark: Equatable {
        /// When its current interval began: the last checkpoint, check, start or resume.
        var since: Date
        /// Its log position right after its last checkpoint; nil before the first.
        var seq: Int64?
    }

    /// A checkpoint due within this fraction of its interval is taken at the same tick, so
    /// executions started moments apart share the engine's wake-ups instead of each causing
    /// its own pass over every active execution.
    static let coalescing = 0.1

    /// Executions already running when tracking began are timed from here rather than from
    /// their start, so a restart does not checkpoint every recovered execution at once.
    let origin: Date
    private(set) var marks: [String: Mark] = [:]

    init(origin: Date) {
        self.origin = origin
    }

    /// Decides which executions get a checkpoint now and when the next one is due (nil when
    /// no running execution has an interval). Every due execution is assumed checkpointed
    /// at once: its `checkpoint_created` event becomes its next log entry, `lastSeq + 1`.
    /// One that is due but whose log has not moved since its last checkpoint is skipped
    /// and checked again an interval later. Paused executions keep their place and are
    /// not counted; executions that are no longer active are forgotten.
    mutating func tick(_ candidates: some Sequence<Candidate>, now: Date) -> (due: [String], next: Date?) {
        var due: [String] = []
        var next: Date?
        var kept: [String: Mark] = [:]
        for candidate in candidates {
            guard let interval = candidate.interval, interval > 0 else { continue }
            let known = marks[candidate.id]
            guard candidate.status == .running else {
                if candidate.status == .paused, let known { kept[candidate.id] = known }
                continue
            }
            var mark = known ?? Mark(since: max(candidate.startedAt ?? now, origin), seq: nil)
            if mark.since.addingTimeInterval(interval) <= now.addingTimeInterval(interval * Self.coalescing) {
                if mark.seq != candidate.lastSeq {
                    due.append(candidate.id)
                    mark.seq = candidate.lastSeq + 1
                }
                mark.since = now
            }
            kept[candidate.id] = mark
            let dueAt = mark.since.addingTimeInterval(interval)
            if next.map({ dueAt < $0 }) ?? true { next = dueAt }
        }
        marks = kept
        return (due, next)
    }

    /// A checkpoint of `id` was taken outside the schedule (on request) at log position
    /// `seq`: the interval starts over, and an unchanged log gets no duplicate.
    mutating func checkpointed(_ id: String, seq: Int64, at now: Date) {
        let previous = marks[id]?.seq ?? seq
        marks[id] = Mark(since: now, seq: max(previous, seq))
    }

    /// `id` was resumed: its interval starts over rather than firing at once for the time
    /// it spent paused (the pause already took a checkpoint).
    mutating func resumed(_ id: String, at now: Date) {
        marks[id] = Mark(since: now, seq: marks[id]?.seq)
    }
}

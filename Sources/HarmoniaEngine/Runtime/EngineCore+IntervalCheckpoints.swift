import Foundation
import HarmoniaCore

extension EngineCore {
    /// One tick of `intervals`: an `interval` checkpoint of every running execution that is
    /// due and whose log moved since its last checkpoint, committed with the rest of the
    /// batch like any other step. One pass over the active executions per tick, none per
    /// transition.
    func takeIntervalCheckpoints(_ intervals: IntervalCheckpoints, now: Date, batch: inout Batch) {
        // One expression, so the view of `machines` is released before they are stepped
        // (a live copy would make every step below copy the dictionary and its tasks).
        let due = intervals.tick(
            machines.all.lazy.map { id, machine in
                IntervalCheckpointSchedule.Candidate(
                    id: id, status: machine.state.record.status, lastSeq: machine.state.record.lastSeq,
                    startedAt: machine.state.record.startedAt, interval: intervals.interval(for: machine.graph.definition))
            }, now: now)
        for id in due {
            guard var machine = machines.removeValue(forKey: id) else { continue }
            machine.markRollbackPoint()
            let step = machine.handle(
                .checkpoint(id: UUID().uuidString.lowercased(), reason: "interval"), now: now, rng: &rng)
            machines[id] = machine
            batch.record(machine: machine, step: step, isNew: false)
        }
    }
}

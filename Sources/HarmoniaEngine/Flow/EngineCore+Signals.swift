import Foundation
import HarmoniaCore

extension EngineCore {
    /// Applies a signal to its execution's machine; the reply waits for the commit.
    func receive(_ signal: ExecutionSignal, executionID id: String, reply: Reply<ExecutionSignal>, now: Date, batch: inout Batch) {
        guard var machine = machines.removeValue(forKey: id) else {
            reply.fail(HarmoniaError(.invalidState, "execution \(id) already finished; it takes no more signals"))
            return
        }
        let untouched = !batch.contains(id)
        machine.markRollbackPoint()
        let step = machine.handle(.signalReceived(signal), now: now, rng: &rng)
        if let rejection = step.rejection {
            if untouched { machine.discardRollbackPoint() }
            machines[id] = machine
            reply.fail(rejection)
            return
        }
        machines[id] = machine
        batch.record(machine: machine, step: step, isNew: false)
        let stored = step.signals.last { $0.id == signal.id } ?? signal
        batch.reply(id, success: { reply.succeed(stored) }, failure: { reply.fail($0) })
    }
}

import Foundation
import Testing

@testable import HarmoniaCore

/// Rolling back steps whose commit failed: the machine must come back exactly as it was at
/// the rollback point, derived bookkeeping included, and behave the same afterwards.
@Suite("ExecutionMachine rollback")
struct ExecutionMachineRollbackTests {
    /// a → (b, c) → d, with a limit of one running task so the ready queue holds some back.
    func diamond() -> SchedulerHarness {
        SchedulerHarness(
            workflow([task("a"), task("b", after: ["a"]), task("c", after: ["a"]), task("d", after: ["b", "c"])], maxConcurrency: 1))
    }

    @Test("rollBack restores state, ready queue and counters; replaying gives the same steps")
    func rollBackRestoresEverything() {
        var h = diamond()
        h.start()
        h.succeed("a")  // b dispatched, c held by the limit
        #expect(h.machine.readyCount == 1)
        let before = h.machine.state
        h.machine.markRollbackPoint()
        let firstB = h.succeed("b")  // c dispatched
        let firstC = h.succeed("c")  // d dispatched
        #expect(h.machine.state != before)
        h.machine.rollBack()
        #expect(h.machine.state == before)
        #expect(h.machine.readyCount == 1)
        #expect(!h.machine.hasRollbackPoint)
        // The same inputs again produce the same events and dispatches.
        let againB = h.succeed("b")
        let againC = h.succeed("c")
        #expect(againB.events.map(\.seq) == firstB.events.map(\.seq))
        #expect(againB.events.map(\.type) == firstB.events.map(\.type))
        #expect(againC.actions.count == firstC.actions.count)
        h.succeed("d")
        #expect(h.workflowStatus == .completed)
    }

    @Test("a second mark keeps the earliest point; discarding forgets it")
    func markIsIdempotentAndDiscardForgets() {
        var h = diamond()
        h.start()
        let initial = h.machine.state
        h.machine.markRollbackPoint()
        h.succeed("a")
        h.machine.markRollbackPoint()  // no-op: the point stays before a's completion
        h.succeed("b")
        h.machine.rollBack()
        #expect(h.machine.state == initial)

        h.machine.markRollbackPoint()
        h.succeed("a")
        h.machine.discardRollbackPoint()
        let committed = h.machine.state
        h.machine.rollBack()  // nothing to undo
        #expect(h.machine.state == committed)
        #expect(h.status("a") == .completed)
    }

    @Test("rollback undoes a cancel: every task and the workflow status come back")
    func rollBackUndoesCancel() {
        var h = diamond()
        h.start()
        let before = h.machine.state
        h.machine.markRollbackPoint()
        h.send(.cancel(reason: "test"))
        #expect(h.workflowStatus == .canceled)
        h.machine.rollBack()
        #expect(h.machine.state == before)
        #expect(h.workflowStatus == .running)
        h.succeed("a")
        #expect(h.status("b") == .running)
    }
}

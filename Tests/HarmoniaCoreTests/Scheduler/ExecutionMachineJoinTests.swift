import Foundation
import Testing

@testable import HarmoniaCore

/// Joins: a task after many (`fanin`), and layers each depending on the whole layer before
/// (`layers`). The machine counts each task's unfinished and blocking dependencies instead
/// of re-reading them on every completion; these tests pin that the counts give the same
/// behaviour (conditions, skips, fail-fast, the concurrency limit, rollback, recovery) and
/// that after every step they equal the counts rebuilt from the state.
@Suite("ExecutionMachine joins")
struct ExecutionMachineJoinTests {
    /// `root`, `p0`...`p(n-1)` after it, `join` after all of them, `after` after `join`.
    func fanIn(_ width: Int, failFast: Bool = false, maxConcurrency: Int? = nil, condition: (Int) -> JSONValue? = { _ in nil })
        -> WorkflowDefinition
    {
        let branches = (0..<width).map { task("p\($0)", after: ["root"], condition: condition($0)) }
        return workflow(
            [task("root")] + branches + [task("join", after: branches.map(\.id)), task("after", after: ["join"])],
            failFast: failFast, maxConcurrency: maxConcurrency)
    }

    /// `count` layers of `width`, each task after every task of the layer before.
    func layers(_ count: Int, _ width: Int) -> WorkflowDefinition {
        var tasks: [TaskDefinition] = []
        for layer in 0..<count {
            let previous = layer == 0 ? [] : (0..<width).map { "l\(layer - 1)_\($0)" }
            tasks += (0..<width).map { task("l\(layer)_\($0)", after: previous) }
        }
        return workflow(tasks)
    }

    /// The derived counts equal a rebuild from the stored state.
    func expectConsistent(_ h: SchedulerHarness, sourceLocation: SourceLocation = #_sourceLocation) {
        let rebuilt = ExecutionMachine.makeReadiness(graph: h.machine.graph, state: h.machine.state)
        #expect(h.machine.readiness == rebuilt, "derived counts drifted from the state", sourceLocation: sourceLocation)
    }

    @Test("a 1,000-wide join is dispatched once, by the last branch to complete, in any completion order")
    func joinWaitsForTheLastBranch() {
        var h = SchedulerHarness(fanIn(1000))
        h.start()
        h.succeed("root")
        #expect(h.dispatchedLast.count == 1000)
        var order = Array(0..<1000)
        var rng = SeededGenerator(seed: 7)
        order.shuffle(using: &rng)
        for (n, i) in order.enumerated() {
            h.succeed("p\(i)")
            if n < 999 {
                #expect(h.dispatchedLast.isEmpty, "join dispatched after \(n + 1) of 1000 branches")
                #expect(h.status("join") == .pending)
            }
            if n % 97 == 0 { expectConsistent(h) }
        }
        #expect(h.dispatchedLast == ["join"])
        h.succeed("join")
        h.succeed("after")
        #expect(h.workflowStatus == .completed)
        #expect(h.dispatches.filter { $0.taskID == "join" }.count == 1)
        expectConsistent(h)
    }

    @Test("10 × 100 fully connected: each layer starts whole, exactly when the one before has all completed")
    func fullyConnectedLayers() {
        var h = SchedulerHarness(layers(10, 100))
        h.start()
        var rng = SeededGenerator(seed: 11)
        for layer in 0..<10 {
            #expect(Set(h.dispatchedLast) == Set((0..<100).map { "l\(layer)_\($0)" }), "layer \(layer) dispatched whole")
            var order = Array(0..<100)
            order.shuffle(using: &rng)
            for (n, i) in order.enumerated() {
                h.succeed("l\(layer)_\(i)")
                if n < 99 { #expect(h.dispatchedLast.isEmpty) }
            }
            expectConsistent(h)
        }
        #expect(h.workflowStatus == .completed)
        #expect(h.dispatches.count == 1000)
    }

    @Test("a failed branch skips the join at once, naming it, while the other branches finish")
    func failedBranchSkipsTheJoin() {
        var h = SchedulerHarness(fanIn(50))
        h.start()
        h.succeed("root")
        for i in 0..<10 { h.succeed("p\(i)") }
        h.fail("p10", retryable: false)
        #expect(h.status("join") == .skipped)
        #expect(h.machine.state.tasks["join"]?.reason == "dependency 'p10' failed")
        #expect(h.machine.state.tasks["after"]?.reason == "dependency 'join' skipped")
        #expect(h.workflowStatus == .running, "the other branches are still running")
        for i in 11..<50 { h.succeed("p\(i)") }
        #expect(h.workflowStatus == .failed)
        #expect(h.events(.taskSkipped).count == 2)
        #expect(!h.dispatches.contains { $0.taskID == "join" })
        expectConsistent(h)
    }

    @Test("a branch skipped by its condition skips the join; the join names the first blocking branch in its order")
    func conditionSkippedBranchSkipsTheJoin() {
        // p3 and p7 have false conditions; the join depends on p0...p9 in that order.
        var h = SchedulerHarness(fanIn(10) { $0 == 3 || $0 == 7 ? ["eq": [1, 2]] : nil })
        h.start()
        h.succeed("root")
        #expect(h.status("p3") == .skipped)
        #expect(h.status("p7") == .skipped)
        #expect(h.status("join") == .skipped)
        #expect(h.machine.state.tasks["join"]?.reason == "dependency 'p3' skipped")
        for i in [0, 1, 2, 4, 5, 6, 8, 9] { h.succeed("p\(i)") }
        #expect(h.workflowStatus == .completed, "skips are not failures")
        expectConsistent(h)
    }

    @Test("fail_fast in a fan-in: running branches canceled, join and after skipped, workflow failed")
    func failFastWithAJoin() {
        var h = SchedulerHarness(fanIn(20, failFast: true))
        h.start()
        h.succeed("root")
        for i in 0..<5 { h.succeed("p\(i)") }
        h.fail("p5", retryable: false)
        #expect(h.workflowStatus == .failed)
        #expect((6..<20).allSatisfy { h.status("p\($0)") == .canceled })
        #expect(h.status("join") == .skipped)
        #expect(h.status("after") == .skipped)
        #expect(h.events(.taskCanceled).count == 14)
        #expect(h.events.last?.type == .workflowFailed)
        // Late results of canceled branches change nothing.
        #expect(h.send(.taskSucceeded(taskID: "p6", attempt: 1, output: [:])).isEmpty)
        expectConsistent(h)
    }

    @Test("max_concurrency 3 with a 12-wide join: never more than 3 running, join after the last, definition order")
    func concurrencyLimitWithAJoin() {
        var h = SchedulerHarness(fanIn(12, maxConcurrency: 3))
        h.start()
        h.succeed("root")
        #expect(h.dispatchedLast == ["p0", "p1", "p2"])
        var running = ["p0", "p1", "p2"]
        var dispatchedOrder = running
        while let next = running.popLast() {
            h.succeed(next)
            running += h.dispatchedLast
            dispatchedOrder += h.dispatchedLast.filter { $0.hasPrefix("p") }
            #expect(h.machine.state.tasks.values.filter { $0.status == .running }.count <= 3)
            if running.contains("join") { break }
        }
        #expect(dispatchedOrder == (0..<12).map { "p\($0)" })
        #expect(running == ["join"])
        h.succeed("join")
        h.succeed("after")
        #expect(h.workflowStatus == .completed)
        expectConsistent(h)
    }

    @Test("rollBack in the middle of a fan-in restores the counts: the join is not ready until replayed")
    func rollBackRestoresJoinCounts() {
        var h = SchedulerHarness(fanIn(30))
        h.start()
        h.succeed("root")
        for i in 0..<25 { h.succeed("p\(i)") }
        let before = h.machine.state
        h.machine.markRollbackPoint()
        for i in 25..<30 { h.succeed("p\(i)") }
        #expect(h.dispatchedLast == ["join"])
        h.fail("join", retryable: false)
        h.machine.rollBack()
        #expect(h.machine.state == before)
        expectConsistent(h)
        for i in 25..<29 {
            h.succeed("p\(i)")
            #expect(h.dispatchedLast.isEmpty)
        }
        h.succeed("p29")
        #expect(h.dispatchedLast == ["join"])
        expectConsistent(h)
    }

    @Test("recovery with half the branches done waits for the rest before the join")
    func recoveryOfAHalfDoneFanIn() {
        var h = SchedulerHarness(fanIn(40))
        h.start()
        h.succeed("root")
        for i in 0..<20 { h.succeed("p\(i)") }
        var r = SchedulerHarness(resuming: h.machine.state, definition: h.machine.graph.definition, now: h.now.addingTimeInterval(5))
        expectConsistent(r)
        r.send(.recover)
        #expect(Set(r.dispatchedLast) == Set((20..<40).map { "p\($0)" }))
        for i in 20..<39 {
            r.succeed("p\(i)")
            #expect(r.dispatchedLast.isEmpty)
        }
        r.succeed("p39")
        #expect(r.dispatchedLast == ["join"])
        r.succeed("join")
        r.succeed("after")
        #expect(r.workflowStatus == .completed)
    }

    @Test("a failure in a middle layer skips every later layer, each naming the first blocking task in its order")
    func failureInAMiddleLayer() {
        var h = SchedulerHarness(layers(4, 5))
        h.start()
        for i in 0..<5 { h.succeed("l0_\(i)") }
        h.succeed("l1_0")
        h.fail("l1_3", retryable: false)
        #expect((0..<5).allSatisfy { h.status("l2_\($0)") == .skipped })
        #expect(h.machine.state.tasks["l2_0"]?.reason == "dependency 'l1_3' failed")
        #expect(h.machine.state.tasks["l3_4"]?.reason == "dependency 'l2_0' skipped")
        for i in [1, 2, 4] { h.succeed("l1_\(i)") }
        #expect(h.workflowStatus == .failed)
        #expect(h.events(.taskSkipped).count == 10)
        expectConsistent(h)
    }

    @Test("componentAvailable steps only what waits: a machine without waiting tasks reports none")
    func waitingCountFollowsWaitingTasks() {
        var h = SchedulerHarness(fanIn(3))
        h.start()
        #expect(!h.machine.hasWaitingTasks)
        h.send(.componentUnavailable(taskID: "root", attempt: 1, reason: "down"))
        #expect(h.machine.hasWaitingTasks)
        h.send(.componentAvailable(component: "harmonia"))
        #expect(!h.machine.hasWaitingTasks)
        #expect(h.dispatchedLast == ["root"])
        expectConsistent(h)
    }
}

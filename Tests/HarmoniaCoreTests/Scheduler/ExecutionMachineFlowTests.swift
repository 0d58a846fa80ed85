import Foundation
import HarmoniaCore
import Testing

/// Happy paths: chains, diamonds, fan-out, data flow, concurrency limit, sequence numbers.
struct ExecutionMachineFlowTests {
    @Test func startDispatchesRootsAndLogsWorkflowStarted() {
        var h = SchedulerHarness(workflow([task("a"), task("b"), task("c", after: ["a", "b"])]))
        h.start()
        #expect(h.workflowStatus == .running)
        #expect(h.dispatchedLast == ["a", "b"])
        #expect(h.events.map(\.type) == [.workflowStarted, .taskStarted, .taskStarted])
        #expect(h.status("c") == .pending)
        #expect(h.machine.state.record.startedAt == h.now)
    }

    @Test func startTwiceIsRejected() {
        var h = SchedulerHarness(workflow([task("a")]))
        h.start()
        let step = h.start()
        #expect(step.rejection?.code == .invalidState)
        #expect(step.events.isEmpty)
    }

    @Test(arguments: [3, 40, 500])
    func chainOfAnyLengthCompletes(length: Int) {
        let tasks = (0..<length).map { i in task("t\(i)", after: i == 0 ? [] : ["t\(i - 1)"]) }
        var h = SchedulerHarness(workflow(tasks))
        h.start()
        for i in 0..<length {
            #expect(h.dispatchedLast == ["t\(i)"])
            h.succeed("t\(i)", ["result": .integer(i)])
        }
        #expect(h.workflowStatus == .completed)
        #expect(h.events.last?.type == .workflowCompleted)
        #expect(h.lastStep.actions.contains(.finished(.completed)))
        #expect(h.events(.taskCompleted).count == length)
    }

    @Test func outputsFlowThroughBothExpressionForms() {
        var h = SchedulerHarness(
            workflow([
                task("a", "echo", input: ["message": "${input.greeting}"]),
                task("b", "echo", input: ["message": "${tasks.a.output.result} World"], after: ["a"]),
                task("c", "transform", input: ["value": "${tasks.b.result}", "count": "${input.n}"], after: ["b"]),
            ]),
            input: ["greeting": "Hello", "n": 3])
        h.start()
        #expect(h.dispatches.last?.input == ["message": "Hello"])
        h.succeed("a", ["result": "Hello", "message": "Hello"])
        #expect(h.dispatches.last?.input == ["message": "Hello World"])
        h.succeed("b", ["result": "Hello World"])
        // A whole-string expression keeps its JSON type.
        #expect(h.dispatches.last?.input == ["value": "Hello World", "count": 3])
        h.succeed("c")
        #expect(h.workflowStatus == .completed)
    }

    @Test func diamondJoinsAfterBothBranches() {
        var h = SchedulerHarness(workflow([task("a"), task("b", after: ["a"]), task("c", after: ["a"]), task("d", after: ["b", "c"])]))
        h.start()
        h.succeed("a")
        #expect(h.dispatchedLast == ["b", "c"])
        h.succeed("c")
        #expect(h.dispatchedLast.isEmpty)
        #expect(h.status("d") == .pending)
        h.succeed("b")
        #expect(h.dispatchedLast == ["d"])
        h.succeed("d")
        #expect(h.workflowStatus == .completed)
    }

    @Test func wideFanOutDispatchesEveryLeafAtOnce() {
        let leaves = (0..<1000).map { task("leaf\($0)", after: ["root"]) }
        var h = SchedulerHarness(workflow([task("root")] + leaves))
        h.start()
        h.succeed("root")
        #expect(h.dispatchedLast.count == 1000)
        for i in 0..<1000 { h.succeed("leaf\(i)") }
        #expect(h.workflowStatus == .completed)
    }

    @Test func concurrencyLimitHoldsTasksBackInDefinitionOrder() {
        var h = SchedulerHarness(workflow((0..<5).map { task("t\($0)") }, maxConcurrency: 2))
        h.start()
        #expect(h.dispatchedLast == ["t0", "t1"])
        h.succeed("t1")
        #expect(h.dispatchedLast == ["t2"])
        h.succeed("t0")
        #expect(h.dispatchedLast == ["t3"])
        h.succeed("t2")
        h.succeed("t3")
        h.succeed("t4")
        #expect(h.workflowStatus == .completed)
    }

    @Test func engineDefaultConcurrencyAppliesWhenWorkflowSetsNone() {
        var h = SchedulerHarness(workflow((0..<4).map { task("t\($0)") }), maxConcurrency: 1)
        h.start()
        #expect(h.dispatchedLast == ["t0"])
    }

    @Test func sequenceNumbersAreGapFreeAcrossSteps() {
        var h = SchedulerHarness(workflow([task("a"), task("b", after: ["a"])]))
        h.start()
        h.succeed("a")
        h.succeed("b")
        #expect(h.events.map(\.seq) == Array(1...Int64(h.events.count)))
        #expect(h.machine.state.record.lastSeq == Int64(h.events.count))
    }

    @Test func staleAndUnknownResultsAreIgnored() {
        var h = SchedulerHarness(workflow([task("a")]))
        h.start()
        let stale = h.send(.taskSucceeded(taskID: "a", attempt: 7, output: [:]))
        #expect(stale.isEmpty && stale.actions.isEmpty)
        let unknown = h.send(.taskSucceeded(taskID: "zzz", attempt: 1, output: [:]))
        #expect(unknown.isEmpty)
        #expect(h.status("a") == .running)
    }

    @Test func progressOfRunningAttemptBecomesCustomEvent() {
        var h = SchedulerHarness(workflow([task("a")]))
        h.start()
        h.send(.progress(taskID: "a", attempt: 1, message: "half way"))
        #expect(h.events.last?.type == .custom)
        #expect(h.events.last?.details["message"] == "half way")
    }

    @Test func taskRecordsInputOutputAndTimes() {
        var h = SchedulerHarness(workflow([task("a", "echo", input: ["message": "hi"])]))
        h.start()
        h.advance(by: 2)
        h.succeed("a", ["result": "hi"])
        let a = h.machine.state.tasks["a"]!
        #expect(a.input == ["message": "hi"])
        #expect(a.output == ["result": "hi"])
        #expect(a.attempt == 1)
        #expect(a.finishedAt!.timeIntervalSince(a.startedAt!) == 2)
        #expect(h.events(.taskCompleted).first?.details["duration"] == .double(2))
    }
}

import Foundation
import Testing

@testable import HarmoniaCore

/// Map tasks (`for_each`): one task run once per item, each instance scheduled, retried and
/// recovered on its own, the task's output the list of their outputs in item order.
@Suite("ExecutionMachine map tasks")
struct ExecutionMachineMapTests {
    /// `fan` runs `echo` once per item of `forEach`, then `after` reads its output.
    func mapWorkflow(
        forEach: JSONValue, limit: Int? = nil, retry: RetryPolicy? = nil, timeout: Double? = nil, failFast: Bool = false,
        upstream: Bool = true, extra: [TaskDefinition] = []
    ) -> WorkflowDefinition {
        var tasks: [TaskDefinition] = []
        if upstream { tasks.append(task("src", "echo")) }
        tasks.append(
            TaskDefinition(
                id: "fan", component: "harmonia", action: "echo", input: ["value": "${item}", "position": "${index}"],
                dependsOn: upstream ? ["src"] : [], retryPolicy: retry, timeout: timeout, forEach: forEach, maxConcurrency: limit))
        tasks.append(task("after", input: ["all": "${tasks.fan.output}"], after: ["fan"]))
        return workflow(tasks + extra, failFast: failFast)
    }

    @Test("items from an upstream output: one dispatch per item, ${item}/${index} resolved, output in item order")
    func itemsFromUpstream() throws {
        var h = SchedulerHarness(mapWorkflow(forEach: "${tasks.src.output.items}"))
        h.start()
        h.succeed("src", ["items": ["a", "b", "c"]])
        #expect(h.dispatchedLast == ["fan[0]", "fan[1]", "fan[2]"])
        #expect(h.status("fan") == .running)
        #expect(h.dispatches.first { $0.taskID == "fan[1]" }?.input == ["value": "b", "position": 1])
        #expect(h.events(.taskInstanceStarted).count == 3)
        // Out of order: the output still follows the items.
        h.succeedInstance("fan", 2, "C")
        h.succeedInstance("fan", 0, "A")
        #expect(h.status("fan") == .running)
        h.succeedInstance("fan", 1, "B")
        #expect(h.status("fan") == .completed)
        #expect(h.machine.state.tasks["fan"]?.output == ["A", "B", "C"])
        #expect(h.events(.taskInstanceCompleted).map { $0.details["index"] } == [2, 0, 1])
        #expect(h.dispatchedLast == ["after"])
        #expect(h.dispatches.last?.input == ["all": ["A", "B", "C"]])
        h.succeed("after")
        #expect(h.workflowStatus == .completed)
        h.expectCountsRebuild()
    }

    @Test("a literal list needs no upstream task")
    func literalList() {
        var h = SchedulerHarness(mapWorkflow(forEach: [10, 20], upstream: false))
        h.start()
        #expect(h.dispatchedLast == ["fan[0]", "fan[1]"])
        #expect(h.dispatches[1].input == ["value": 20, "position": 1])
        h.succeedInstance("fan", 0, 1)
        h.succeedInstance("fan", 1, 2)
        #expect(h.machine.state.tasks["fan"]?.output == [1, 2])
    }

    @Test("an empty list completes at once with []")
    func emptyList() {
        var h = SchedulerHarness(mapWorkflow(forEach: "${tasks.src.output.items}"))
        h.start()
        h.succeed("src", ["items": []])
        #expect(h.status("fan") == .completed)
        #expect(h.machine.state.tasks["fan"]?.output == [])
        #expect(h.dispatchedLast == ["after"])
        #expect(h.events(.taskInstanceStarted).isEmpty)
    }

    @Test("a for_each value that is not a list fails the task, not retried, naming the task and the type")
    func notAList() {
        let policy = RetryPolicy(maxRetries: 3, initialDelay: 1, maxDelay: 1, backoffMultiplier: 1, jitter: 0)
        var h = SchedulerHarness(mapWorkflow(forEach: "${tasks.src.output.items}", retry: policy))
        h.start()
        h.succeed("src", ["items": ["not": "a list"]])
        #expect(h.status("fan") == .failed)
        let error = h.machine.state.tasks["fan"]?.error
        #expect(error?.code == "for_each_not_a_list")
        #expect(error?.retryable == false)
        #expect(error?.message == "for_each of task 'fan' must yield a list, got object")
        #expect(h.status("after") == .skipped)
        #expect(h.workflowStatus == .failed)
        #expect(h.events(.retryAttempted).isEmpty)
    }

    @Test("max_concurrency bounds the instances in flight; each completion lets the next one start")
    func concurrencyBound() {
        var h = SchedulerHarness(mapWorkflow(forEach: [0, 1, 2, 3, 4], limit: 2, upstream: false))
        h.start()
        #expect(h.dispatchedLast == ["fan[0]", "fan[1]"])
        h.succeedInstance("fan", 1)
        #expect(h.dispatchedLast == ["fan[2]"])
        h.succeedInstance("fan", 0)
        #expect(h.dispatchedLast == ["fan[3]"])
        h.succeedInstance("fan", 2)
        h.succeedInstance("fan", 3)
        h.succeedInstance("fan", 4)
        #expect(h.status("fan") == .completed)
        #expect(h.dispatches.count == 6)  // five instances, then `after`
    }

    @Test("the map task takes one slot of the workflow's max_concurrency, whatever its instances")
    func workflowLimitCountsTheMapOnce() {
        var definition = mapWorkflow(forEach: [0, 1, 2], upstream: false, extra: [task("side")])
        definition.maxConcurrency = 2
        var h = SchedulerHarness(definition)
        h.start()
        #expect(h.dispatchedLast == ["fan[0]", "fan[1]", "fan[2]", "side"])
    }

    @Test("each instance retries under the task's policy on its own")
    func perInstanceRetry() {
        let policy = RetryPolicy(maxRetries: 1, initialDelay: 2, maxDelay: 2, backoffMultiplier: 1, jitter: 0)
        var h = SchedulerHarness(mapWorkflow(forEach: ["x", "y"], retry: policy, upstream: false))
        h.start()
        h.failInstance("fan", 1)
        #expect(h.instance("fan", 1).status == .retrying)
        #expect(h.instance("fan", 1).retries == 1)
        #expect(h.scheduled(.retry(taskID: "fan[1]", attempt: 1)) == h.now.addingTimeInterval(2))
        let failed = h.events(.taskInstanceFailed)
        #expect(failed.count == 1)
        #expect(failed[0].details["will_retry"] == true)
        #expect(failed[0].details["index"] == 1)
        h.advance(by: 2)
        h.send(.timerFired(.retry(taskID: "fan[1]", attempt: 1)))
        #expect(h.dispatchedLast == ["fan[1]"])
        #expect(h.instance("fan", 1).attempt == 2)
        // The other instance's first failure is its own: it has a retry left too.
        h.failInstance("fan", 0)
        #expect(h.instance("fan", 0).status == .retrying)
        h.succeedInstance("fan", 1, "Y")
        h.advance(by: 2)
        h.send(.timerFired(.retry(taskID: "fan[0]", attempt: 1)))
        h.succeedInstance("fan", 0, "X")
        #expect(h.machine.state.tasks["fan"]?.output == ["X", "Y"])
        #expect(h.machine.state.tasks["fan"]?.attempt == 1)
    }

    @Test("an instance's final failure fails the task, cancels its siblings and skips dependents")
    func finalFailureFailsTheTask() {
        var h = SchedulerHarness(mapWorkflow(forEach: ["x", "y", "z"], limit: 2, upstream: false, extra: [task("side")]))
        h.start()
        h.failInstance("fan", 0, retryable: false)
        #expect(h.status("fan") == .failed)
        #expect(h.machine.state.tasks["fan"]?.error?.message == "instance 0 of task 'fan' failed: fan[0] broke")
        #expect(h.instance("fan", 1).status == .canceled)
        #expect(h.instance("fan", 2).status == .pending)
        #expect(h.lastStep.actions.contains(.cancelInvocation(taskID: "fan[1]", attempt: 1)))
        #expect(h.status("after") == .skipped)
        #expect(h.status("side") == .running)  // no fail_fast: the other branch goes on
        // The canceled sibling's late answer changes nothing.
        #expect(h.send(.taskSucceeded(taskID: "fan[1]", attempt: 1, output: [:])).isEmpty)
        h.succeed("side")
        #expect(h.workflowStatus == .failed)
    }

    @Test("with fail_fast an instance's failure stops the workflow")
    func failFast() {
        var h = SchedulerHarness(mapWorkflow(forEach: ["x", "y"], failFast: true, upstream: false, extra: [task("side")]))
        h.start()
        h.failInstance("fan", 1, retryable: false)
        #expect(h.status("fan") == .failed)
        #expect(h.status("side") == .canceled)
        #expect(h.instance("fan", 0).status == .canceled)
        #expect(h.workflowStatus == .failed)
        #expect(h.lastStep.actions.contains(.cancelInvocation(taskID: "fan[0]", attempt: 1)))
    }

    @Test("canceling the execution cancels the instances in flight")
    func cancelStopsInstances() {
        var h = SchedulerHarness(mapWorkflow(forEach: ["x", "y", "z"], limit: 2, upstream: false))
        h.start()
        h.send(.cancel(reason: "enough"))
        #expect(h.workflowStatus == .canceled)
        #expect(h.instance("fan", 0).status == .canceled)
        #expect(h.lastStep.actions.contains(.cancelInvocation(taskID: "fan[1]", attempt: 1)))
    }

    @Test("an instance attempt that times out is retried on its own")
    func instanceTimeout() {
        let policy = RetryPolicy(maxRetries: 1, initialDelay: 1, maxDelay: 1, backoffMultiplier: 1, jitter: 0)
        var h = SchedulerHarness(mapWorkflow(forEach: ["x"], retry: policy, timeout: 5, upstream: false))
        h.start()
        #expect(h.scheduled(.taskTimeout(taskID: "fan[0]", attempt: 1)) == h.now.addingTimeInterval(5))
        h.advance(by: 5)
        h.send(.timerFired(.taskTimeout(taskID: "fan[0]", attempt: 1)))
        #expect(h.instance("fan", 0).status == .retrying)
        #expect(h.lastStep.actions.contains(.cancelInvocation(taskID: "fan[0]", attempt: 1)))
        #expect(h.events(.timeoutOccurred).last?.details["index"] == 0)
    }

    @Test("pause holds new instances; resume dispatches them")
    func pauseAndResume() {
        var h = SchedulerHarness(mapWorkflow(forEach: [0, 1, 2], limit: 1, upstream: false))
        h.start()
        h.send(.pause)
        h.succeedInstance("fan", 0)
        #expect(h.dispatchedLast.isEmpty)
        h.send(.resume)
        #expect(h.dispatchedLast == ["fan[1]"])
    }

    @Test("rollback restores instances and map progress; replaying gives the same steps")
    func rollBack() {
        var h = SchedulerHarness(mapWorkflow(forEach: "${tasks.src.output.items}", limit: 2))
        h.start()
        let beforeStart = h.machine.state
        h.machine.markRollbackPoint()
        h.succeed("src", ["items": [1, 2, 3]])
        h.succeedInstance("fan", 0)
        h.machine.rollBack()
        #expect(h.machine.state == beforeStart)
        #expect(h.machine.maps.isEmpty)

        h.succeed("src", ["items": [1, 2, 3]])
        let before = h.machine.state
        h.machine.markRollbackPoint()
        let first = h.succeedInstance("fan", 1)
        h.failInstance("fan", 0, retryable: false)
        h.machine.rollBack()
        #expect(h.machine.state == before)
        #expect(h.machine.maps[1]?.running == 2)
        let again = h.succeedInstance("fan", 1)
        #expect(again.events.map(\.type) == first.events.map(\.type))
        #expect(again.actions == first.actions)
        h.succeedInstance("fan", 0)
        h.succeedInstance("fan", 2)
        #expect(h.status("fan") == .completed)
        h.expectCountsRebuild()
    }

    @Test("after a restart only the unfinished instances run: in-flight ones again with attempt raised, retry timers re-armed")
    func recovery() {
        let policy = RetryPolicy(maxRetries: 2, initialDelay: 30, maxDelay: 30, backoffMultiplier: 1, jitter: 0)
        let definition = mapWorkflow(forEach: ["a", "b", "c", "d", "e"], limit: 3, retry: policy, upstream: false)
        var h = SchedulerHarness(definition)
        h.start()  // 0, 1, 2 in flight
        h.succeedInstance("fan", 0, "A")  // 3 starts
        h.failInstance("fan", 1)  // retrying, due in 30 s; 4 starts
        // The process dies; a new machine is built from the stored state.
        var restarted = SchedulerHarness(resuming: h.machine.state, definition: definition, now: h.now.addingTimeInterval(1))
        #expect(restarted.machine.maps[0]?.running == 3)
        restarted.send(.recover)
        #expect(Set(restarted.dispatchedLast) == ["fan[2]", "fan[3]", "fan[4]"])
        #expect(restarted.instance("fan", 2).attempt == 2)
        #expect(restarted.instance("fan", 4).attempt == 2)
        #expect(restarted.events(.taskInstanceStarted).allSatisfy { $0.details["recovered"] == true })
        #expect(restarted.scheduled(.retry(taskID: "fan[1]", attempt: 1)) == h.now.addingTimeInterval(30))
        restarted.succeedInstance("fan", 2, "C")
        restarted.succeedInstance("fan", 3, "D")
        restarted.succeedInstance("fan", 4, "E")
        #expect(restarted.status("fan") == .running)
        restarted.advance(by: 30)
        restarted.send(.timerFired(.retry(taskID: "fan[1]", attempt: 1)))
        #expect(restarted.dispatchedLast == ["fan[1]"])
        restarted.succeedInstance("fan", 1, "B")
        #expect(restarted.machine.state.tasks["fan"]?.output == ["A", "B", "C", "D", "E"])
        // Instance 0 was never dispatched again.
        #expect(!restarted.dispatches.contains { $0.taskID == "fan[0]" })
    }

    @Test("a checkpoint keeps the completed instances of an unfinished map")
    func checkpointKeepsInstances() {
        var h = SchedulerHarness(mapWorkflow(forEach: ["a", "b"], upstream: false))
        h.start()
        h.succeedInstance("fan", 1, "B")
        h.send(.checkpoint(id: "cp-1", reason: "manual"))
        let checkpoint = h.lastStep.checkpoints.first
        #expect(checkpoint?.instances.map(\.index) == [1])
        #expect(checkpoint?.instances.first?.output == "B")
    }

    @Test("a restored map reuses completed instances whose item is unchanged and runs only the rest")
    func restoredMapKeepsFinishedInstances() {
        let definition = mapWorkflow(forEach: ["a", "b", "c"], upstream: false)
        let record = ExecutionRecord(id: "exec-2", workflowID: "wf-1", workflowVersion: 1, workflowName: "test", input: .emptyObject)
        var state = ExecutionState(record: record, definition: definition)
        state.instances["fan"] = [TaskInstanceState(taskID: "fan", index: 1, item: "b", status: .completed, attempt: 1, output: "B")]
        var h = SchedulerHarness(resuming: state, definition: definition, now: Date(timeIntervalSince1970: 1_800_000_000))
        h.start()
        #expect(h.dispatchedLast == ["fan[0]", "fan[2]"])
        h.succeedInstance("fan", 0, "A")
        h.succeedInstance("fan", 2, "C")
        #expect(h.machine.state.tasks["fan"]?.output == ["A", "B", "C"])
    }

    @Test("an instance whose input does not resolve fails the task with the index in the message")
    func instanceInputError() {
        var definition = mapWorkflow(forEach: [["k": 1], ["j": 2]], upstream: false)
        definition.tasks[0].input = ["value": "${item.k}"]
        var h = SchedulerHarness(definition)
        h.start()
        #expect(h.status("fan") == .failed)
        #expect(h.machine.state.tasks["fan"]?.error?.message.hasPrefix("instance 1 of task 'fan'") == true)
        #expect(h.lastStep.actions.contains(.cancelInvocation(taskID: "fan[0]", attempt: 1)))
    }

    @Test("10,000 items complete, the concurrency bound held throughout")
    func tenThousand() {
        let items = JSONValue.array((0..<10_000).map { .integer($0) })
        var h = SchedulerHarness(mapWorkflow(forEach: items, limit: 100, upstream: false))
        h.start()
        var inFlight = h.dispatches.map(\.taskID)
        var maxInFlight = inFlight.count
        var completed = 0
        while let address = inFlight.first {
            inFlight.removeFirst()
            let step = h.send(.taskSucceeded(taskID: address, attempt: 1, output: .integer(completed)))
            completed += 1
            inFlight += step.actions.compactMap { if case .dispatch(let d) = $0, d.taskID.hasPrefix("fan[") { d.taskID } else { nil } }
            maxInFlight = max(maxInFlight, inFlight.count)
        }
        #expect(completed == 10_000)
        #expect(maxInFlight == 100)
        #expect(h.status("fan") == .completed)
        #expect(h.machine.state.tasks["fan"]?.output?.arrayValue?.count == 10_000)
    }
}

extension SchedulerHarness {
    func instance(_ task: String, _ index: Int) -> TaskInstanceState { machine.state.instances[task]![index] }

    @discardableResult
    mutating func succeedInstance(_ task: String, _ index: Int, _ output: JSONValue = .emptyObject) -> SchedulerStep {
        send(.taskSucceeded(taskID: "\(task)[\(index)]", attempt: instance(task, index).attempt, output: output))
    }

    @discardableResult
    mutating func failInstance(_ task: String, _ index: Int, retryable: Bool = true) -> SchedulerStep {
        send(
            .taskFailed(
                taskID: "\(task)[\(index)]", attempt: instance(task, index).attempt,
                failure: TaskFailure(code: "boom", message: "\(task)[\(index)] broke", retryable: retryable)))
    }

    /// The O(1) fan-in counts and the map progress equal what a rebuild from the state gives.
    func expectCountsRebuild(sourceLocation: SourceLocation = #_sourceLocation) {
        let rebuilt = ExecutionMachine.makeReadiness(graph: machine.graph, state: machine.state)
        #expect(machine.readiness == rebuilt, "derived counts drifted from the state", sourceLocation: sourceLocation)
        let maps = ExecutionMachine.makeMaps(graph: machine.graph, state: machine.state)
        #expect(Set(machine.maps.keys) == Set(maps.keys), sourceLocation: sourceLocation)
    }
}

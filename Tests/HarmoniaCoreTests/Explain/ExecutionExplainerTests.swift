import Foundation
import HarmoniaCore
import Testing

/// "Why is it waiting", one reason at a time, on hand-made states: the explainer is pure.
struct ExecutionExplainerTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func definition(_ tasks: [TaskDefinition], maxConcurrency: Int? = nil) -> WorkflowDefinition {
        var definition = WorkflowDefinition(name: "w", tasks: tasks)
        definition.maxConcurrency = maxConcurrency
        return definition
    }

    static func task(_ id: String, _ component: String = "harmonia", after: [String] = []) -> TaskDefinition {
        TaskDefinition(id: id, component: component, action: "run", dependsOn: after)
    }

    static func state(
        _ definition: WorkflowDefinition, status: WorkflowStatus = .running, _ tasks: [String: TaskState] = [:]
    ) -> ExecutionState {
        var state = ExecutionState(
            record: ExecutionRecord(
                workflowID: definition.id, workflowVersion: 1, workflowName: definition.name, status: status),
            definition: definition)
        for (id, task) in tasks { state.tasks[id] = task }
        return state
    }

    static func explain(
        _ state: ExecutionState, _ definition: WorkflowDefinition, limit: Int? = nil,
        components: [String: ComponentReadiness] = [:]
    ) -> ExecutionExplanation {
        ExecutionExplainer.explain(state, definition: definition, defaultMaxConcurrency: limit) { components[$0] ?? .unknown }
    }

    static func wait(_ explanation: ExecutionExplanation, _ id: String) -> TaskExplanation.Wait? {
        explanation.tasks.first { $0.taskID == id }?.waitingFor
    }

    @Test func dependenciesNameTheUnfinishedOnes() {
        let d = Self.definition([Self.task("a"), Self.task("b"), Self.task("c", after: ["a", "b"])])
        let s = Self.state(d, ["a": TaskState(taskID: "a", status: .completed), "b": TaskState(taskID: "b", status: .running, attempt: 1)])
        let e = Self.explain(s, d)
        #expect(Self.wait(e, "c") == .dependencies(["b"]))
        #expect(e.tasks.map(\.taskID) == ["b", "c"], "finished tasks are left out")
        #expect(e.canProgress && e.stuckTasks.isEmpty)
        #expect(e.tasks.last?.detail == "waits for task 'b' to finish")
    }

    @Test func aWaitingTaskShowsTheComponentAndTheDiscoveryReason() {
        let d = Self.definition([Self.task("store", "engram")])
        let s = Self.state(d, ["store": TaskState(taskID: "store", status: .waiting, attempt: 1, reason: "old reason")])
        let e = Self.explain(s, d, components: ["engram": .unavailable(reason: "GET http://e/health failed: refused")])
        #expect(Self.wait(e, "store") == .component(name: "engram", reason: "GET http://e/health failed: refused"))
        #expect(e.canProgress)
    }

    @Test func aComponentNothingProvidesIsStuckAndSoAreItsDependents() {
        let d = Self.definition([Self.task("store", "vault"), Self.task("after", after: ["store"]), Self.task("other")])
        let s = Self.state(d, [
            "store": TaskState(taskID: "store", status: .waiting, attempt: 1),
            "other": TaskState(taskID: "other", status: .running, attempt: 1),
        ])
        let e = Self.explain(s, d)
        #expect(Self.wait(e, "store") == .unknownComponent(name: "vault", timeoutAt: nil))
        #expect(e.stuckTasks == ["store", "after"])
        #expect(!e.canProgress)
        #expect(e.summary.hasPrefix("stuck"), "\(e.summary)")
        #expect(e.tasks.first { $0.taskID == "other" }?.canProgress == true)
    }

    @Test func aTimeoutOrADeadlineEndsTheWaitSoItIsNotStuck() {
        let d = Self.definition([Self.task("store", "vault")])
        let timed = Self.state(d, ["store": TaskState(taskID: "store", status: .waiting, attempt: 1, timeoutAt: Self.now)])
        #expect(Self.explain(timed, d).canProgress)
        #expect(Self.explain(timed, d).stuckTasks.isEmpty)

        var deadline = Self.state(d, ["store": TaskState(taskID: "store", status: .waiting, attempt: 1)])
        deadline.record.deadline = Self.now
        let e = Self.explain(deadline, d)
        #expect(e.stuckTasks == ["store"] && e.canProgress, "the workflow's deadline will end it")
    }

    @Test func readyTasksBeyondTheConcurrencyLimitWaitForASlot() {
        let d = Self.definition([Self.task("a"), Self.task("b"), Self.task("c")], maxConcurrency: 1)
        let s = Self.state(d, ["a": TaskState(taskID: "a", status: .running, attempt: 1)])
        let e = Self.explain(s, d)
        #expect(Self.wait(e, "b") == .concurrencySlot(limit: 1, running: 1, ahead: 0))
        #expect(Self.wait(e, "c") == .concurrencySlot(limit: 1, running: 1, ahead: 1))
        // The engine's default applies when the workflow sets none.
        let open = Self.definition([Self.task("a"), Self.task("b")])
        let e2 = Self.explain(Self.state(open, ["a": TaskState(taskID: "a", status: .running, attempt: 1)]), open, limit: 1)
        #expect(Self.wait(e2, "b") == .concurrencySlot(limit: 1, running: 1, ahead: 0))
        #expect(Self.wait(Self.explain(Self.state(open), open), "b") == .dispatch)
    }

    @Test func retryTimerPauseAndRunningAttempts() {
        let d = Self.definition([Self.task("flaky"), Self.task("next"), Self.task("slow")])
        let s = Self.state(d, status: .paused, [
            "flaky": TaskState(taskID: "flaky", status: .retrying, attempt: 2, retries: 1, nextAttemptAt: Self.now),
            "slow": TaskState(taskID: "slow", status: .running, attempt: 1, startedAt: Self.now, timeoutAt: Self.now + 60),
        ])
        let e = Self.explain(s, d)
        #expect(Self.wait(e, "flaky") == .retryTimer(dueAt: Self.now, nextAttempt: 3))
        #expect(Self.wait(e, "next") == .paused)
        #expect(Self.wait(e, "slow") == .running(component: "harmonia", attempt: 1, since: Self.now, timeoutAt: Self.now + 60))
        #expect(e.canProgress)
        #expect(e.summary.hasPrefix("paused"))
    }

    @Test func aFinishedExecutionHasNothingToExplain() {
        let d = Self.definition([Self.task("a")])
        let e = Self.explain(Self.state(d, status: .completed, ["a": TaskState(taskID: "a", status: .completed)]), d)
        #expect(e.tasks.isEmpty && !e.canProgress && e.stuckTasks.isEmpty)
        #expect(e.summary.contains("finished"))
    }

    @Test func ordersTasksAfterTheirDependenciesInLinearTime() {
        // A 2,000-step chain declared backwards: the order still follows the dependencies.
        let ids = (0..<2000).map { "t\($0)" }
        let tasks = ids.indices.reversed().map { i in Self.task(ids[i], after: i == 0 ? [] : [ids[i - 1]]) }
        let ordered = ExecutionExplainer.explain(Self.state(Self.definition(tasks)), definition: Self.definition(tasks)) { _ in .available }
        #expect(ordered.tasks.map(\.taskID) == ids)
        #expect(Self.wait(ordered, "t0") == .dispatch)
        #expect(Self.wait(ordered, "t1") == .dependencies(["t0"]))
    }
}

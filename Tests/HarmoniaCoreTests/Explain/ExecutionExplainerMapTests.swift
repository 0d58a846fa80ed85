import Foundation
import HarmoniaCore
import Testing

/// "Why is it waiting" for a map task: its remaining instances, counted by status.
struct ExecutionExplainerMapTests {
    @Test func aRunningMapWaitsForItsRemainingInstances() {
        let fan = TaskDefinition(
            id: "fan", component: "harmonia", action: "run", forEach: [1, 2, 3, 4, 5], maxConcurrency: 2)
        let d = ExecutionExplainerTests.definition([fan, ExecutionExplainerTests.task("next", after: ["fan"])])
        var s = ExecutionExplainerTests.state(d, ["fan": TaskState(taskID: "fan", status: .running, attempt: 1)])
        let statuses: [TaskStatus] = [.completed, .running, .retrying, .running, .pending]
        s.instances["fan"] = statuses.enumerated().map { i, status in
            TaskInstanceState(taskID: "fan", index: i, item: .integer(i), status: status)
        }
        let e = ExecutionExplainerTests.explain(s, d)
        var counts = TaskInstanceCounts()
        counts.total = 5
        counts.completed = 1
        counts.running = 2
        counts.retrying = 1
        counts.pending = 1
        #expect(ExecutionExplainerTests.wait(e, "fan") == .mapInstances(counts, limit: 2))
        #expect(
            e.tasks.first?.detail
                == "map task waits for 4 of 5 instance(s): 2 running (max_concurrency 2), 1 retrying, 0 waiting for harmonia, 1 not started")
        #expect(ExecutionExplainerTests.wait(e, "next") == .dependencies(["fan"]))
        #expect(e.canProgress)
        #expect(e.summary == "1 task(s) running, 1 waiting; the execution can progress")
    }
}

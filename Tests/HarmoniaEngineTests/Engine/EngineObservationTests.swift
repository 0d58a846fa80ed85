import Foundation
import HarmoniaCore
import HarmoniaTestSupport
import HarmoniaEngine
import Synchronization
import Testing

/// What the engine reports for metrics: the dispatch queue and adapter call timings.
@Suite(.timeLimit(.minutes(1)))
struct EngineObservationTests {
    @Test func readyTasksCountsWorkHeldBackByPause() async throws {
        let counter = CountingAdapter()
        let h = try await EngineHarness(adapters: [BuiltinAdapter(), counter])
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(
                WorkflowDefinition(
                    name: "fan",
                    tasks: [TaskDefinition(id: "root", component: "counted", action: "step")]
                        + (1...3).map { TaskDefinition(id: "leaf\($0)", component: "counted", action: "step", dependsOn: ["root"]) }))
            counter.hold("root")
            let id = try await h.start(wf)
            try await h.waitFor(id) { $0.tasks["root"]?.status == .running }
            try await h.engine.pause(executionID: id)
            counter.release("root")
            try await h.waitFor(id) { $0.tasks["root"]?.status == .completed }
            // The status is refreshed after each batch; poll until it shows the three leaves.
            let deadline = Date().addingTimeInterval(30)
            while h.engine.status.readyTasks != 3, Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
            #expect(h.engine.status.readyTasks == 3)
            try await h.engine.resume(executionID: id)
            #expect(try await h.waitFor(id).record.status == .completed)
        }
    }

    @Test func everyAdapterCallIsReportedWithItsOutcome() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        let calls = Mutex<[AdapterCallRecord]>([])
        h.engine.onAdapterCall { record in calls.withLock { $0.append(record) } }
        try await h.run { h in
            let wf = try await h.save(
                WorkflowDefinition(
                    name: "two",
                    tasks: [
                        TaskDefinition(id: "ok", component: "harmonia", action: "noop"),
                        TaskDefinition(id: "bad", component: "harmonia", action: "fail", input: ["code": "nope", "retryable": false]),
                    ]))
            _ = try await h.waitFor(try await h.start(wf))
            let records = calls.withLock { $0 }.sorted { $0.action < $1.action }
            #expect(records.map(\.action) == ["fail", "noop"])
            #expect(records.map(\.outcome) == ["nope", "success"])
            #expect(records.allSatisfy { $0.component == "harmonia" && $0.duration >= .zero })
        }
    }
}

import Foundation
import HarmoniaCore
import HarmoniaStorageSQLite
import Testing

/// Map instances (`task_instances`, migration v7): written through the group commit,
/// upserted by (execution, task, index), read back with their execution in index order.
struct SQLiteInstanceTests {
    @Test func instancesRoundTripAndUpdateInPlace() async throws {
        let store = try SQLiteStore.inMemory()
        let definition = WorkflowDefinition(
            id: "wf", name: "map", tasks: [TaskDefinition(id: "fan", component: "harmonia", action: "noop", forEach: [1, 2, 3])])
        try await store.saveWorkflow(definition)
        var record = ExecutionRecord(id: "e1", workflowID: "wf", workflowVersion: 1, workflowName: "map", status: .running)
        record.lastSeq = 1
        let started = Date(timeIntervalSince1970: 1_800_000_000)
        let instances = (0..<100).map { i in
            TaskInstanceState(taskID: "fan", index: i, item: .integer(i), status: i < 2 ? .running : .pending, attempt: i < 2 ? 1 : 0)
        }
        let event = ExecutionEvent(executionID: "e1", seq: 1, type: .workflowStarted, message: "started", timestamp: started)
        try await store.commit([
            ExecutionChange(
                record: record, tasks: [TaskState(taskID: "fan", status: .running, attempt: 1)], events: [event], isNew: true,
                instances: instances.reversed())
        ])
        var read = try #require(try await store.execution(id: "e1"))
        #expect(read.instances["fan"]?.map(\.index) == Array(0..<100), "read back in index order")
        #expect(read.instances["fan"]?[1] == instances[1])

        var done = instances[1]
        done.status = .completed
        done.output = ["ok": true]
        done.finishedAt = started.addingTimeInterval(1)
        record.lastSeq = 2
        let completed = ExecutionEvent(
            executionID: "e1", seq: 2, type: .taskInstanceCompleted, taskID: "fan", details: ["index": 1], message: "done",
            timestamp: started)
        try await store.commit([ExecutionChange(record: record, tasks: [], events: [completed], instances: [done])])
        read = try #require(try await store.execution(id: "e1"))
        #expect(read.instances["fan"]?.count == 100)
        #expect(read.instances["fan"]?[1] == done)
        let unfinished = try await store.unfinishedExecutions()
        #expect(unfinished.first?.instances["fan"]?[1].output == ["ok": true])
    }
}

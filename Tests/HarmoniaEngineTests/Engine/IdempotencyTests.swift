import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaStorageSQLite
import Testing

/// Idempotent starts: one key, one execution, within the retention window; a different
/// request with the key is refused; after the window the key starts a new execution.
struct IdempotencyTests {
    @Test func concurrentStartsWithOneKeyCreateOneExecution() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(WorkflowDefinition(name: "once", tasks: [noop("a")]))
            let starts = try await withThrowingTaskGroup(of: ExecutionStart.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await h.engine.startExecution(workflow: wf, input: ["n": 1], idempotencyKey: "order-7")
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(starts.map(\.state.id)).count == 1, "one execution for one key")
            #expect(starts.filter(\.created).count == 1, "exactly one start created it")
            let all = try await h.store.listExecutions(status: nil, workflowID: wf.id, limit: 100, offset: 0)
            #expect(all.count == 1)
        }
    }

    @Test func aDifferentRequestWithTheKeyIsRefusedAndStartsNothing() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(WorkflowDefinition(name: "once", tasks: [noop("a")]))
            let other = try await h.save(WorkflowDefinition(name: "other", tasks: [noop("a")]))
            let first = try await h.engine.startExecution(workflow: wf, input: ["n": 1], idempotencyKey: "k")
            let again = try await h.engine.startExecution(workflow: wf, input: ["n": 1], idempotencyKey: "k")
            #expect(!again.created && again.state.id == first.state.id)

            for (workflow, input, metadata, differs) in [
                (wf, JSONValue.object(["n": 2]), [String: JSONValue](), "input"),
                (wf, ["n": 1], ["by": "me"], "metadata"),
                (other, ["n": 1], [:], "workflow_id"),
                (wf, ["n": 1.0], [:], "input"),  // 1.0 is not 1: a double is another input
            ] {
                let error = await #expect(throws: HarmoniaError.self) {
                    _ = try await h.engine.startExecution(
                        workflow: workflow, input: input, metadata: metadata, idempotencyKey: "k")
                }
                #expect(error?.code == .idempotencyKeyReused)
                #expect(error?.message.contains(differs) == true, "\(error?.message ?? "")")
                #expect(error?.message.contains(first.state.id) == true)
            }
            let all = try await h.store.listExecutions(status: nil, workflowID: nil, limit: 100, offset: 0)
            #expect(all.count == 1)
        }
    }

    /// A key older than the retention window: released from the earlier execution (which
    /// keeps its record), and a new execution takes it.
    @Test func afterTheRetentionWindowTheKeyStartsANewExecution() async throws {
        var configuration = EngineConfiguration()
        configuration.idempotencyRetention = 3600
        let h = try await EngineHarness(configuration: configuration)
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(WorkflowDefinition(name: "once", tasks: [noop("a")]))
            let recent = try await h.engine.startExecution(workflow: wf, input: .emptyObject, idempotencyKey: "recent")
            _ = try await h.waitFor(recent.state.id)

            // An execution the key started two hours ago, written as the store keeps it.
            let twoHoursAgo = Date().addingTimeInterval(-7200)
            var record = ExecutionRecord(
                workflowID: wf.id, workflowVersion: wf.version, workflowName: wf.name, status: .completed,
                input: .emptyObject, idempotencyKey: "old", createdAt: twoHoursAgo, updatedAt: twoHoursAgo)
            record.lastSeq = 1
            let started = ExecutionEvent(
                executionID: record.id, seq: 1, type: .workflowStarted, message: "started", timestamp: twoHoursAgo)
            try await h.store.commit([ExecutionChange(record: record, tasks: [], events: [started], isNew: true)])

            let fresh = try await h.engine.startExecution(workflow: wf, input: ["other": true], idempotencyKey: "old")
            #expect(fresh.created, "the window passed: a new execution, even for another input")
            #expect(fresh.state.id != record.id)
            #expect(try await h.store.execution(id: record.id)?.record.idempotencyKey == nil, "released, not deleted")
            #expect(try await h.store.execution(idempotencyKey: "old")?.id == fresh.state.id)

            let repeated = try await h.engine.startExecution(workflow: wf, input: .emptyObject, idempotencyKey: "recent")
            #expect(!repeated.created && repeated.state.id == recent.state.id, "still within the window")
        }
    }
}

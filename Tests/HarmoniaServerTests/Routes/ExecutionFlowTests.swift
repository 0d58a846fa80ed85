import HarmoniaAPIModels
import HarmoniaCore
import HTTPTypes
import HummingbirdTesting
import Testing

/// Whole workflows run over HTTP against the real engine and store.
struct ExecutionFlowTests {
    @Test(arguments: apiPrefixes)
    func threeTaskChainPassesOutputsAlong(prefix: String) async throws {
        try await TestServer.with { client, _ in
            let workflow = try await client.createWorkflow(Fixtures.chain, prefix: prefix)
            let id = try await client.startExecution(workflow.id, input: ["greeting": "hello"], prefix: prefix)
            let detail = try await client.waitForExecution(id, prefix: prefix)

            #expect(detail.execution.status == .completed)
            let tasks = try #require(detail.execution.tasks)
            #expect(tasks["a"]?.output?["result"] == "hello")
            #expect(tasks["b"]?.output == ["result": "hello"])
            #expect(tasks["c"]?.output?["result"] == "hello world")
            #expect(tasks.values.allSatisfy { $0.status == .completed && $0.attempt == 1 })
            #expect(detail.summary.total == 3 && detail.summary.completed == 3 && detail.summary.progress == 1)
            #expect(detail.workflowDefinition?.definition.id == workflow.id)
            #expect(detail.execution.record.finishedAt != nil)

            let events = try await client.events(id, prefix: prefix)
            #expect(events.map(\.seq) == Array(1...Int64(events.count)))
            #expect(events.first?.type == .workflowStarted)
            #expect(events.last?.type == .workflowCompleted)
            #expect(events.filter { $0.type == .taskCompleted }.compactMap(\.taskID) == ["a", "b", "c"])
        }
    }

    @Test func diamondJoinsBothBranches() async throws {
        try await TestServer.with { client, _ in
            let workflow = try await client.createWorkflow(Fixtures.diamond)
            let id = try await client.startExecution(workflow.id, input: ["n": 7])
            let detail = try await client.waitForExecution(id)

            #expect(detail.execution.status == .completed)
            let tasks = try #require(detail.execution.tasks)
            // A whole-string expression keeps the JSON type; an embedded one is spliced as text.
            #expect(tasks["start"]?.output == ["result": 7])
            #expect(tasks["left"]?.output == ["result": 7])
            #expect(tasks["right"]?.output == ["result": 7])
            #expect(tasks["join"]?.output?["result"] == "7-7")
            #expect(tasks["join"]?.output?["sum"] == 7)
            #expect(detail.summary.completed == 4)

            // The input schema is enforced at creation: 400, nothing started.
            let rejected = try await client.send(
                .post, "/api/v1/executions", json: ["workflow_id": .string(workflow.id), "input": ["n": "seven"]])
            try rejected.expectError(.badRequest, code: "invalid_input")
        }
    }

    @Test func retriesWithGrowingDelayThenFailsAndSkipsDependents() async throws {
        try await TestServer.with { client, _ in
            let workflow = try await client.createWorkflow(Fixtures.alwaysFails)
            let id = try await client.startExecution(workflow.id)
            let detail = try await client.waitForExecution(id)

            #expect(detail.execution.status == .failed)
            let tasks = try #require(detail.execution.tasks)
            #expect(tasks["flaky"]?.status == .failed)
            #expect(tasks["flaky"]?.attempt == 3)
            #expect(tasks["flaky"]?.retries == 2)
            #expect(tasks["flaky"]?.error?.message == "boom")
            #expect(tasks["after"]?.status == .skipped)
            #expect(tasks["after"]?.reason?.isEmpty == false)
            #expect(detail.summary.failed == 1 && detail.summary.skipped == 1 && detail.summary.progress == 1)

            let events = try await client.events(id)
            let retries = events.filter { $0.type == .retryAttempted }
            #expect(retries.count == 2)
            let delays = retries.compactMap { $0.details["delay"]?.doubleValue }
            #expect(delays.count == 2)
            if delays.count == 2 { #expect(delays[0] < delays[1]) }
            #expect(retries.map { $0.details["retry_count"] } == [1, 2])
            #expect(events.filter { $0.type == .taskFailed }.count == 1)
            #expect(events.contains { $0.type == .taskSkipped && $0.taskID == "after" })
            let failed = try #require(events.last)
            #expect(failed.type == .workflowFailed)
            #expect(failed.details["failed_tasks"] == ["flaky"])
        }
    }

    @Test func falseConditionSkipsTheTaskAndItsDependents() async throws {
        try await TestServer.with { client, _ in
            let workflow = try await client.createWorkflow(Fixtures.conditional)

            let skippedID = try await client.startExecution(workflow.id, input: ["enabled": false])
            let skipped = try await client.waitForExecution(skippedID)
            #expect(skipped.execution.status == .completed)
            let tasks = try #require(skipped.execution.tasks)
            #expect(tasks["first"]?.status == .completed)
            #expect(tasks["gated"]?.status == .skipped)
            #expect(tasks["downstream"]?.status == .skipped)
            #expect(tasks["sibling"]?.status == .completed)
            #expect(skipped.summary.skipped == 2 && skipped.summary.completed == 2)

            let ranID = try await client.startExecution(workflow.id, input: ["enabled": true])
            let ran = try await client.waitForExecution(ranID)
            #expect(ran.execution.status == .completed)
            #expect(ran.execution.tasks?["gated"]?.output?["result"] == "ran")
            #expect(ran.execution.tasks?["downstream"]?.status == .completed)
        }
    }
}

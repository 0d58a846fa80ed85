import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import HarmoniaTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HarmoniaServer

/// Idempotent starts over HTTP: the body field and the `Idempotency-Key` header, 200 for a
/// repeat, 409 for a different request with the key, 400 for a malformed key.
struct IdempotencyRoutesTests {
    @Test func theHeaderAndTheBodyFieldAreOneKey() async throws {
        try await TestServer.with { client, _ in
            let workflow = try await client.createWorkflow(Fixtures.noop())
            let body: JSONValue = ["workflow_id": .string(workflow.id), "input": ["n": 1]]
            let first = try await client.send(.post, "/api/v1/executions", json: body, headers: [ExecutionStarter.idempotencyKeyHeader: "abc"])
            #expect(first.status == .created, "\(first.text)")
            let id = try first.json()["data"]?["id"]?.stringValue

            var withField = body.objectValue!
            withField["idempotency_key"] = "abc"
            let repeated = try await client.send(.post, "/api/v1/executions", json: .object(withField))
            #expect(repeated.status == .ok, "\(repeated.text)")
            #expect(try repeated.json()["data"]?["id"]?.stringValue == id)

            let viaPath = try await client.send(
                .post, "/api/v1/workflows/\(workflow.id)/execute", json: ["input": ["n": 1]],
                headers: [ExecutionStarter.idempotencyKeyHeader: "abc"])
            #expect(viaPath.status == .ok, "\(viaPath.text)")
            #expect(try viaPath.json()["data"]?["id"]?.stringValue == id)

            let different = try await client.send(
                .post, "/api/v1/executions", json: ["workflow_id": .string(workflow.id), "input": ["n": 2]],
                headers: [ExecutionStarter.idempotencyKeyHeader: "abc"])
            let error = try different.expectError(.conflict, code: "idempotency_key_reused")
            #expect(error.detail.contains("input") && error.detail.contains(id ?? "?"), "\(error.detail)")

            let disagree = try await client.send(
                .post, "/api/v1/executions", json: .object(withField), headers: [ExecutionStarter.idempotencyKeyHeader: "xyz"])
            try disagree.expectError(.badRequest, code: "invalid_request")
            let tooLong = try await client.send(
                .post, "/api/v1/executions", json: body,
                headers: [ExecutionStarter.idempotencyKeyHeader: String(repeating: "k", count: 256)])
            try tooLong.expectError(.badRequest, code: "invalid_request")

            let list = try await client.send(.get, "/api/v1/executions?workflow_id=\(workflow.id)")
            #expect(try list.json()["data"]?["executions"]?.arrayValue?.count == 1, "\(list.text)")
        }
    }
}

/// `POST /executions/{id}/retry` over HTTP.
struct RetryRoutesTests {
    @Test func aFailedExecutionIsRerunKeepingItsCompletedTasks() async throws {
        try await TestServer.with { client, _ in
            let workflow = try await client.createWorkflow([
                "name": "redrive",
                "tasks": [
                    "first": ["component": "harmonia", "action": "echo", "input": ["message": "kept"]],
                    "boom": [
                        "component": "harmonia", "action": "fail", "depends_on": ["first"],
                        "input": ["retryable": false, "message": "${input.why}"],
                    ],
                ],
            ])
            let id = try await client.startExecution(workflow.id, input: ["why": "broken"])
            let failed = try await client.waitForExecution(id, timeout: .seconds(30))
            #expect(failed.execution.status == .failed)

            let response = try await client.send(.post, "/api/v1/executions/\(id)/retry")
            #expect(response.status == .created, "\(response.text)")
            let newID = try #require(try response.json()["data"]?["id"]?.stringValue)
            let rerun = try await client.waitForExecution(newID, timeout: .seconds(30))
            // `boom` fails again (same input): what matters is that `first` was kept.
            #expect(rerun.execution.status == .failed)
            #expect(rerun.execution.tasks?["first"]?.output == failed.execution.tasks?["first"]?.output)
            #expect(rerun.execution.tasks?["first"]?.attempt == failed.execution.tasks?["first"]?.attempt)
            #expect(rerun.execution.record.restoredFrom == id)
            let events = try await client.events(newID)
            #expect(!events.contains { $0.type == .taskStarted && $0.taskID == "first" }, "first is not run again")
            #expect(events.contains { $0.type == .taskStarted && $0.taskID == "boom" })

            let completedRetry = try await client.send(.post, "/api/executions/\(id)/retry")
            #expect(completedRetry.status == .created, "a failed execution can be retried more than once")
            try await client.send(.post, "/api/v1/executions/nope/retry").expectError(.notFound, code: "not_found")
        }
    }
}

/// `GET /executions?created_after&created_before`: the time filter the dashboard uses.
struct ExecutionTimeFilterRoutesTests {
    @Test func executionsAreFilteredByCreationTime() async throws {
        try await TestServer.with { client, _ in
            let workflow = try await client.createWorkflow(Fixtures.noop())
            let first = try await client.startExecution(workflow.id)
            let firstCreated = try await client.waitForExecution(first).execution.record.createdAt
            let second = try await client.startExecution(workflow.id)
            let secondCreated = try await client.waitForExecution(second).execution.record.createdAt
            try #require(secondCreated > firstCreated, "two starts in one millisecond; the test cannot tell them apart")

            func ids(_ query: String) async throws -> [String] {
                let response = try await client.send(.get, "/api/v1/executions?\(query)")
                #expect(response.status == .ok, "\(response.text)")
                return try response.json()["data"]?["executions"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            }
            let cut = APICoding.formatTimestamp(secondCreated)
            #expect(try await ids("created_after=\(cut)") == [second])
            #expect(try await ids("created_before=\(cut)") == [first])
            #expect(try await ids("created_after=\(APICoding.formatTimestamp(firstCreated))&created_before=\(cut)") == [first])
            let bad = try await client.send(.get, "/api/v1/executions?created_after=yesterday")
            let error = try bad.expectError(.badRequest, code: "invalid_request")
            #expect(error.detail.contains("created_after"), "\(error.detail)")
        }
    }
}

import HarmoniaAPIModels
import HarmoniaCore
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HarmoniaServer

/// Client mistakes get a clean 4xx with `code` and `detail`, never a 500, and the server
/// keeps serving with its stored state intact.
struct BadRequestTests {
    @Test func clientMistakesAreCleanErrorsAndTheServerCarriesOn() async throws {
        try await TestServer.with { client, _ in
            let workflow = try await client.createWorkflow(Fixtures.chain)
            let firstRun = try await client.startExecution(workflow.id, input: ["greeting": "before"])
            let before = try await client.waitForExecution(firstRun)

            let malformed = try await client.send(
                .post, "/api/v1/workflows", text: #"{"name": "x", "tasks": [}"#, contentType: "application/json")
            let malformedError = try malformed.expectError(.badRequest, code: "invalid_json")
            #expect(malformedError.detail.contains("line"))

            try await client.send(.post, "/api/v1/executions", text: "{nope", contentType: "application/json")
                .expectError(.badRequest, code: "invalid_json")
            try await client.send(.post, "/api/v1/executions").expectError(.badRequest, code: "invalid_request")
            try await client.send(.post, "/api/v1/executions", json: ["input": [:]])
                .expectError(.badRequest, code: "invalid_request")
            try await client.send(.post, "/api/v1/executions", json: [1, 2])
                .expectError(.badRequest, code: "invalid_request")
            try await client.send(.post, "/api/v1/executions", json: ["workflow_id": 5])
                .expectError(.badRequest, code: "invalid_request")
            try await client.send(.post, "/api/v1/workflows").expectError(.badRequest, code: "invalid_request")

            for input: JSONValue in [[1, 2], "text", 3, true] {
                let response = try await client.send(
                    .post, "/api/v1/executions", json: ["workflow_id": .string(workflow.id), "input": input])
                let error = try response.expectError(.badRequest, code: "invalid_input")
                #expect(error.path == "input")
            }
            try await client.send(.post, "/api/v1/workflows/\(workflow.id)/execute", json: ["input": "x"])
                .expectError(.badRequest, code: "invalid_input")

            try await client.send(.get, "/api/v1/executions/not-a-real-id").expectError(.notFound, code: "not_found")
            try await client.send(.get, "/api/v1/workflows/not-a-real-id").expectError(.notFound, code: "not_found")

            // Still serving, and what was stored before is untouched.
            let secondRun = try await client.startExecution(workflow.id, input: ["greeting": "after"])
            let after = try await client.waitForExecution(secondRun)
            #expect(after.execution.tasks?["c"]?.output?["result"] == "after world")
            let again = try await client.data(ExecutionDetail.self, .get, "/api/v1/executions/\(firstRun)")
            #expect(again == before)
            let workflows = try await client.data(WorkflowList.self, .get, "/api/v1/workflows")
            #expect(workflows.workflows.map(\.workflowID) == [workflow.id])
            let executions = try await client.data(ExecutionList.self, .get, "/api/v1/executions")
            #expect(executions.count == 2)
        }
    }

    @Test func oversizedBodiesAre413() async throws {
        try await TestServer.with { client, _ in
            let workflow = try await client.createWorkflow(Fixtures.noop())
            let big = String(repeating: "x", count: 2 << 20)
            let body: JSONValue = ["workflow_id": .string(workflow.id), "input": ["blob": .string(big)]]
            try await client.send(.post, "/api/v1/executions", json: body)
                .expectError(.contentTooLarge, code: "payload_too_large")
            try await client.send(.post, "/api/v1/workflows", text: big, contentType: "application/json")
                .expectError(.contentTooLarge, code: "payload_too_large")
            try await client.send(.put, "/api/v1/workflows/\(workflow.id)", text: big, contentType: "application/yaml")
                .expectError(.contentTooLarge, code: "payload_too_large")

            // Still serving.
            let id = try await client.startExecution(workflow.id)
            #expect(try await client.waitForExecution(id).execution.status == .completed)
            let executions = try await client.data(ExecutionList.self, .get, "/api/v1/executions")
            #expect(executions.count == 1)
        }
    }

    @Test func bodyLimitIsConfigurableAndAppliesWhileCollecting() async throws {
        try await TestServer.with(maxBodyBytes: 64) { client, _ in
            try await client.send(.post, "/api/v1/workflows", json: Fixtures.chain)
                .expectError(.contentTooLarge, code: "payload_too_large")

            // An empty body is a client mistake of another kind.
            try await client.send(.post, "/api/v1/workflows").expectError(.badRequest, code: "invalid_request")
        }
        // Without a Content-Length (chunked upload) the cap applies while the body is collected.
        let buffer = ByteBuffer(string: String(repeating: "y", count: 1 << 12))
        let request = Request(
            head: .init(method: .post, scheme: "http", authority: "localhost", path: "/"), body: .init(buffer: buffer))
        await #expect(throws: HarmoniaError.self) { try await request.collectLimitedBody(maxBytes: 100) }
        let collected = try await request.collectLimitedBody(maxBytes: 1 << 12)
        #expect(collected.readableBytes == 1 << 12)
    }

    @Test func unknownRoutesAre404AndWrongMethodsAre405() async throws {
        try await TestServer.with { client, _ in
            try await client.send(.get, "/nothing/here").expectError(.notFound, code: "not_found")
            try await client.send(.get, "/api/v1/nothing").expectError(.notFound, code: "not_found")
            try await client.send(.get, "/api/v2/workflows").expectError(.notFound, code: "not_found")

            let wrong = try await client.send(.patch, "/api/v1/workflows")
            try wrong.expectError(.methodNotAllowed, code: "method_not_allowed")
            #expect(wrong.headers[.allow] == "POST, GET")
            try await client.send(.get, "/api/executions/abc/cancel").expectError(.methodNotAllowed, code: "method_not_allowed")
            try await client.send(.delete, "/health").expectError(.methodNotAllowed, code: "method_not_allowed")
        }
    }
}

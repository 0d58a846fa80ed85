import HarmoniaAPIModels
import HarmoniaCore
import Hummingbird
import HummingbirdTesting
import Logging
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
            let big = String(repeating: "x", count: HarmoniaConfiguration.defaultMaxBodyBytes + 1)
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

    /// Issue 15: a generated definition with wide joins — 5 layers of 200 tasks, each task
    /// depending on the whole layer before (1.26 MB of JSON with the issue's ids) — was
    /// refused with 413 by the old 1 MiB default.
    @Test func fullyConnectedFiveByTwoHundredDefinitionFitsTheDefaultLimit() async throws {
        var tasks: [JSONValue] = []
        var previous: [JSONValue] = []
        for layer in 0..<5 {
            let current = (0..<200).map { JSONValue.string("layer\(layer)_task\($0)") }
            for id in current {
                tasks.append(["name": id, "component": "harmonia", "action": "noop", "depends_on": .array(previous)])
            }
            previous = current
        }
        let definition: JSONValue = ["name": "five-by-two-hundred", "tasks": .array(tasks)]
        #expect(definition.jsonString().utf8.count > 1 << 20, "the definition is bigger than the old limit")
        try await TestServer.with { client, _ in
            let workflow = try await client.createWorkflow(definition)
            #expect(workflow.tasks.count == 1000)
        }
    }

    /// A full engine queue (`EngineOverloadTests`) is the client's cue to come back shortly.
    @Test func overloadedIs503WithRetryAfter() {
        let request = Request(
            head: .init(method: .post, scheme: "http", authority: "localhost", path: "/api/v1/executions"),
            body: .init(buffer: ByteBuffer()))
        let response = HTTPErrorMapping.response(
            for: HarmoniaError(.overloaded, "the engine has 10000 requests waiting for it; retry in a moment"), request: request,
            logger: Logger(label: "test"))
        #expect(response.status == .serviceUnavailable)
        #expect(response.headers[.retryAfter] == "1")
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

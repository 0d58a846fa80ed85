import Foundation
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

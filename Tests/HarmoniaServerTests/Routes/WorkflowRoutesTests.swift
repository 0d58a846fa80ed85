import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HarmoniaServer

struct WorkflowRoutesTests {
    @Test(arguments: apiPrefixes)
    func createReadListReplaceDelete(prefix: String) async throws {
        try await TestServer.with { client, _ in
            let response = try await client.send(.post, "\(prefix)/workflows", json: Fixtures.chain)
            #expect(response.status == .created)
            let body = try response.json()
            #expect(body["status"] == "success")
            let data = try #require(body["data"])
            let id = try #require(data["id"]?.stringValue)
            #expect(data["workflow_id"]?.stringValue == id)
            #expect(data["version"] == 1)
            #expect(data["tasks"]?.arrayValue?.count == 3)
            #expect(data["tasks"]?.arrayValue?[2]["depends_on"] == ["b"])
            #expect(data["created_at"]?.stringValue?.hasSuffix("Z") == true)

            let read = try await client.data(WorkflowView.self, .get, "\(prefix)/workflows/\(id)")
            #expect(read.definition.name == "chain")
            #expect(read.definition.tasks.map(\.id) == ["a", "b", "c"])
            // What the create answered is what the store kept.
            #expect(data["created_at"]?.stringValue == APICoding.formatTimestamp(read.definition.createdAt))
            #expect(data["updated_at"]?.stringValue == APICoding.formatTimestamp(read.definition.updatedAt))

            _ = try await client.createWorkflow(Fixtures.noop("other"), prefix: prefix)
            let all = try await client.data(WorkflowList.self, .get, "\(prefix)/workflows")
            #expect(all.count == 2)
            let named = try await client.data(WorkflowList.self, .get, "\(prefix)/workflows?name=chain")
            #expect(named.workflows.map(\.workflowID) == [id])
            let paged = try await client.data(WorkflowList.self, .get, "\(prefix)/workflows?limit=1&offset=1")
            #expect(paged.count == 1 && paged.limit == 1 && paged.offset == 1)

            var replacement = Fixtures.noop("chain-v2")
            replacement = .object(replacement.objectValue!.merging(["description": "second"]) { $1 })
            let replaced = try await client.data(WorkflowView.self, .put, "\(prefix)/workflows/\(id)", json: replacement)
            #expect(replaced.definition.id == id)
            #expect(replaced.definition.version == 2)
            #expect(replaced.definition.name == "chain-v2")
            #expect(replaced.definition.createdAt == read.definition.createdAt)
            let newest = try await client.data(WorkflowView.self, .get, "\(prefix)/workflows/\(id)")
            #expect(newest.definition.version == 2 && newest.definition.description == "second")

            let deleted = try await client.data(WorkflowDeleted.self, .delete, "\(prefix)/workflows/\(id)")
            #expect(deleted.deleted && deleted.workflowID == id)
            try await client.send(.get, "\(prefix)/workflows/\(id)").expectError(.notFound, code: "not_found")
            try await client.send(.delete, "\(prefix)/workflows/\(id)").expectError(.notFound, code: "not_found")
            try await client.send(.put, "\(prefix)/workflows/\(id)", json: Fixtures.noop())
                .expectError(.notFound, code: "not_found")
        }
    }

    @Test func createFromYAML() async throws {
        try await TestServer.with { client, _ in
            let yaml = """
                name: from-yaml
                tasks:
                  hello:
                    component: harmonia
                    action: echo
                    input:
                      message: "${input.who}"
                  bye:
                    component: harmonia
                    action: noop
                    depends_on: [hello]
                """
            let response = try await client.send(.post, "/api/v1/workflows", text: yaml, contentType: "application/yaml")
            #expect(response.status == .created, "\(response.text)")
            let created = try APICoding.makeDecoder().decode(APISuccess<WorkflowView>.self, from: Data(response.body.readableBytesView))
            #expect(created.data.definition.name == "from-yaml")
            #expect(Set(created.data.definition.tasks.map(\.id)) == ["hello", "bye"])

            let broken = try await client.send(
                .post, "/api/v1/workflows", text: "name: x\ntasks: [\n", contentType: "text/yaml")
            try broken.expectError(.badRequest, code: "invalid_json")
        }
    }

    @Test(arguments: apiPrefixes)
    func executeFromWorkflowPath(prefix: String) async throws {
        try await TestServer.with { client, _ in
            let workflow = try await client.createWorkflow(Fixtures.chain, prefix: prefix)
            let started = try await client.data(
                ExecutionStatusView.self, .post, "\(prefix)/workflows/\(workflow.id)/execute",
                json: ["input": ["greeting": "hi"]], expect: .created)
            #expect(started.status == .pending)
            #expect(started.execution.record.workflowID == workflow.id)
            let done = try await client.waitForExecution(started.executionID, prefix: prefix)
            #expect(done.execution.status == .completed)

            // An empty body means empty input.
            let response = try await client.send(.post, "\(prefix)/workflows/\(workflow.id)/execute")
            #expect(response.status == .created)

            try await client.send(.post, "\(prefix)/workflows/missing/execute", json: [:])
                .expectError(.notFound, code: "not_found")
        }
    }

    @Test func invalidDefinitionsAre422WithPathAndProblems() async throws {
        try await TestServer.with { client, _ in
            let cycle: JSONValue = [
                "name": "cycle",
                "tasks": [
                    ["name": "a", "component": "harmonia", "action": "noop", "depends_on": ["c"]],
                    ["name": "b", "component": "harmonia", "action": "noop", "depends_on": ["a"]],
                    ["name": "c", "component": "harmonia", "action": "noop", "depends_on": ["b"]],
                ],
            ]
            let cycleError = try await client.send(.post, "/api/v1/workflows", json: cycle)
                .expectError(.unprocessableContent, code: "dependency_cycle")
            #expect(cycleError.detail.contains("a") && cycleError.detail.contains("c"))

            let unknown: JSONValue = [
                "name": "unknown",
                "tasks": [["name": "a", "component": "harmonia", "action": "noop", "depends_on": ["ghost"]]],
            ]
            let unknownError = try await client.send(.post, "/api/v1/workflows", json: unknown)
                .expectError(.unprocessableContent, code: "unknown_dependency")
            #expect(unknownError.path?.contains("depends_on") == true)
            #expect(unknownError.detail.contains("ghost"))

            let duplicate: JSONValue = [
                "name": "duplicate",
                "tasks": [
                    ["name": "a", "component": "harmonia", "action": "noop"],
                    ["name": "a", "component": "harmonia", "action": "noop"],
                ],
            ]
            try await client.send(.post, "/api/v1/workflows", json: duplicate)
                .expectError(.unprocessableContent, code: "duplicate_task_id")

            try await client.send(.post, "/api/v1/workflows", json: ["name": "empty", "tasks": []])
                .expectError(.unprocessableContent, code: "empty_workflow")

            let badRetry: JSONValue = [
                "name": "bad-retry",
                "tasks": [["name": "a", "component": "harmonia", "action": "noop", "retry_policy": ["max_retries": -1]]],
            ]
            try await client.send(.post, "/api/v1/workflows", json: badRetry)
                .expectError(.unprocessableContent, code: "invalid_retry_policy")

            let badExpression: JSONValue = [
                "name": "bad-expression",
                "tasks": [["name": "a", "component": "harmonia", "action": "echo", "input": ["message": "${tasks.nope.result}"]]],
            ]
            let expressionError = try await client.send(.post, "/api/v1/workflows", json: badExpression)
            #expect(expressionError.status == .unprocessableContent, "\(expressionError.text)")

            // Several problems at once are all reported.
            let many: JSONValue = [
                "name": 7,
                "tasks": [["name": "a", "component": "harmonia"], ["name": "b", "action": "noop"]],
            ]
            let manyError = try await client.send(.post, "/api/v1/workflows", json: many)
                .expectError(.unprocessableContent, code: "invalid_definition")
            #expect((manyError.problems?.count ?? 0) >= 2)

            // Nothing invalid was stored.
            let list = try await client.data(WorkflowList.self, .get, "/api/v1/workflows")
            #expect(list.count == 0)
        }
    }

    @Test func duplicateWorkflowIDIsAConflict() async throws {
        try await TestServer.with { client, _ in
            var definition = Fixtures.noop().objectValue!
            definition["id"] = "fixed-id"
            _ = try await client.createWorkflow(.object(definition))
            try await client.send(.post, "/api/v1/workflows", json: .object(definition))
                .expectError(.conflict, code: "conflict")
        }
    }

    @Test func badListParametersAre400() async throws {
        try await TestServer.with { client, _ in
            try await client.send(.get, "/api/v1/workflows?limit=abc").expectError(.badRequest, code: "invalid_request")
            try await client.send(.get, "/api/v1/workflows?limit=0").expectError(.badRequest, code: "invalid_request")
            try await client.send(.get, "/api/v1/workflows?offset=-1").expectError(.badRequest, code: "invalid_request")
        }
    }
}

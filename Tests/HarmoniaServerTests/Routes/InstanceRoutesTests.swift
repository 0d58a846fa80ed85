import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import HarmoniaTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HarmoniaServer

/// A map task's instances over HTTP: the counts on `GET /executions/{id}`, the instance
/// pages, `explain`'s `map_instances` reason, and the errors.
struct InstanceRoutesTests {
    @Test func instancesAreCountedAndPaged() async throws {
        try await TestServer.with { client, _ in
            let workflow = try await client.createWorkflow([
                "name": "map-routes",
                "tasks": [
                    "fan": [
                        "component": "harmonia", "action": "transform", "for_each": ["a", "b", "c"],
                        "input": ["value": "${item}-${index}"],
                    ],
                    "plain": ["component": "harmonia", "action": "noop"],
                ],
            ])
            let id = try await client.startExecution(workflow.id)
            let done = try await client.waitForExecution(id, timeout: .seconds(30))
            #expect(done.execution.status == .completed)
            #expect(done.execution.tasks?["fan"]?.output == [["result": "a-0"], ["result": "b-1"], ["result": "c-2"]])

            let detail = try await client.send(.get, "/api/v1/executions/\(id)")
            let counts = try detail.json()["data"]?["execution"]?["tasks"]?["fan"]?["instances"]
            #expect(counts?["total"] == 3)
            #expect(counts?["completed"] == 3)
            #expect(try detail.json()["data"]?["execution"]?["tasks"]?["plain"]?["instances"] == nil)

            let page = try await client.send(.get, "/api/v1/executions/\(id)/tasks/fan/instances?offset=1&limit=1")
            #expect(page.status == .ok, "\(page.text)")
            let data = try page.json()["data"]
            #expect(data?["counts"]?["total"] == 3)
            #expect(data?["instances"]?.arrayValue?.count == 1)
            let second = data?["instances"]?.arrayValue?.first
            #expect(second?["index"] == 1)
            #expect(second?["item"] == "b")
            #expect(second?["output"] == ["result": "b-1"])
            #expect(second?["status"] == "completed")

            let past = try await client.send(.get, "/api/v1/executions/\(id)/tasks/fan/instances?offset=10")
            #expect(try past.json()["data"]?["instances"]?.arrayValue?.isEmpty == true)
            try await client.send(.get, "/api/v1/executions/\(id)/tasks/plain/instances").expectError(.notFound, code: "not_found")
            try await client.send(.get, "/api/v1/executions/\(id)/tasks/ghost/instances").expectError(.notFound, code: "not_found")
            try await client.send(.get, "/api/v1/executions/nope/tasks/fan/instances").expectError(.notFound, code: "not_found")
            try await client.send(.get, "/api/v1/executions/\(id)/tasks/fan/instances?limit=0").expectError(.badRequest, code: "invalid_request")
        }
    }

    @Test func explainShowsARunningMapsRemainingInstances() async throws {
        try await TestServer.with { client, _ in
            let workflow = try await client.createWorkflow([
                "name": "map-explain",
                "tasks": [
                    "fan": [
                        "component": "harmonia", "action": "sleep", "for_each": [1, 2, 3], "max_concurrency": 1,
                        "input": ["seconds": 30],
                    ]
                ],
            ])
            let id = try await client.startExecution(workflow.id)
            var fan: JSONValue?
            try await eventually("the map shows in explain", timeout: .seconds(30)) {
                let response = try await client.send(.get, "/api/v1/executions/\(id)/explain")
                fan = try response.json()["data"]?["tasks"]?.arrayValue?.first { $0["task_id"] == "fan" }
                return fan?["waiting_for"] == "map_instances" && fan?["instances"]?["running"] == 1
            }
            #expect(fan?["instances"]?["total"] == 3)
            #expect(fan?["instances"]?["pending"] == 2)
            #expect(fan?["limit"] == 1)
            #expect(fan?["detail"]?.stringValue?.hasPrefix("map task waits for 3 of 3 instance(s)") == true)
            _ = try await client.send(.post, "/api/v1/executions/\(id)/cancel")
            let canceled = try await client.waitForExecution(id, timeout: .seconds(30))
            #expect(canceled.execution.status == .canceled)
        }
    }
}

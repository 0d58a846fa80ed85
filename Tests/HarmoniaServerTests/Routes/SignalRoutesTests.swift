import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import HarmoniaTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HarmoniaServer

/// `POST /executions/{id}/signals/{name}` on a real engine, its 4xx answers, child links in
/// the API, and explain's `signal` and `child_execution` reasons.
struct SignalRoutesTests {
    @Test func aSignalCompletesTheWaitAndBadRequestsAreRefused() async throws {
        try await TestServer.with { client, _ in
            let workflow = try await client.createWorkflow([
                "name": "approval",
                "tasks": [
                    "approve": ["component": "harmonia", "action": "wait_for_signal", "input": ["name": "approval", "timeout": 3600]]
                ],
            ])
            let id = try await client.startExecution(workflow.id)
            _ = try await client.waitForExecution(id) { $0.execution.tasks?["approve"]?.status == .running }

            let explained = try await client.send(.get, "/api/v1/executions/\(id)/explain").json()["data"] ?? .null
            let wait = explained["tasks"]?.arrayValue?.first
            #expect(wait?["waiting_for"] == "signal" && wait?["signal"] == "approval", "\(explained)")
            #expect(wait?["timeout_at"]?.stringValue != nil)
            #expect(explained["can_progress"] == true)

            for (name, fragment) in [
                (String(repeating: "n", count: 129), "129 bytes"), ("bad%20name", "contains"), ("a%2Fb", "contains"),
            ] {
                let refused = try await client.send(.post, "/api/v1/executions/\(id)/signals/\(name)", json: 1)
                #expect(refused.status == .badRequest, "\(name): \(refused.text)")
                #expect(refused.text.contains(fragment), "\(refused.text)")
            }
            let unknown = try await client.send(.post, "/api/v1/executions/no-such-id/signals/approval", json: 1)
            #expect(unknown.status == .notFound)
            let malformed = try await client.send(.post, "/api/v1/executions/\(id)/signals/approval", text: "{not json", contentType: "application/json")
            #expect(malformed.status == .badRequest)

            let sent = try await client.send(.post, "/api/v1/executions/\(id)/signals/approval", json: ["approved": true])
            #expect(sent.status == .ok, "\(sent.text)")
            let data = try sent.json()["data"] ?? .null
            #expect(data["consumed_by"] == "approve" && data["status"] == "consumed" && data["name"] == "approval")
            let done = try await client.waitForExecution(id)
            #expect(done.execution.tasks?["approve"]?.output == ["approved": true])

            let ended = try await client.send(.post, "/api/v1/executions/\(id)/signals/approval", json: 1)
            #expect(ended.status == .conflict, "\(ended.text)")
            #expect(try ended.json()["code"] == "invalid_state")
        }
    }

    @Test func aSignalWithoutAWaiterIsKeptAndAnEmptyBodyIsNull() async throws {
        try await TestServer.with { client, _ in
            let workflow = try await client.createWorkflow([
                "name": "later",
                "tasks": [
                    "gate": ["component": "harmonia", "action": "wait_for_signal", "input": ["name": "open"]],
                    "w": ["component": "harmonia", "action": "wait_for_signal", "input": ["name": "go"], "depends_on": ["gate"]],
                ],
            ])
            let id = try await client.startExecution(workflow.id)
            _ = try await client.waitForExecution(id) { $0.execution.tasks?["gate"]?.status == .running }
            let kept = try await client.send(.post, "/api/v1/executions/\(id)/signals/go")
            #expect(try kept.json()["data"]?["status"] == "pending", "\(kept.text)")
            _ = try await client.send(.post, "/api/v1/executions/\(id)/signals/open", json: "yes")
            let done = try await client.waitForExecution(id)
            #expect(done.execution.status == .completed)
            // A JSON null output decodes as an absent one.
            #expect(done.execution.tasks?["w"]?.status == .completed && (done.execution.tasks?["w"]?.output ?? .null) == .null)
            #expect(done.execution.tasks?["gate"]?.output == "yes")
        }
    }

    @Test func childAndParentLinkEachOtherAndExplainNamesTheChild() async throws {
        try await TestServer.with { client, _ in
            let child = try await client.createWorkflow([
                "id": "child-waits", "name": "child",
                "tasks": ["w": ["component": "harmonia", "action": "wait_for_signal", "input": ["name": "go"]]],
            ])
            let parent = try await client.createWorkflow([
                "name": "parent",
                "tasks": ["sub": ["component": "harmonia", "action": "run_workflow", "input": ["workflow_id": .string(child.id)]]],
            ])
            let id = try await client.startExecution(parent.id)
            let childID = ChildExecutionID.make(parent: id, taskID: "sub", attempt: 1)
            await eventually("the child execution exists") {
                (try? await client.send(.get, "/api/v1/executions/\(childID)").status) == .ok
            }
            _ = try await client.waitForExecution(childID) { $0.execution.tasks?["w"]?.status == .running }

            let listed = try await client.send(.get, "/api/v1/executions?parent_execution_id=\(id)").json()["data"] ?? .null
            #expect(listed["executions"]?.arrayValue?.map { $0["id"] } == [.string(childID)], "\(listed)")
            let childView = try await client.send(.get, "/api/v1/executions/\(childID)").json()["data"]?["execution"] ?? .null
            #expect(childView["parent"] == ["execution_id": .string(id), "task_id": "sub", "depth": 1], "\(childView)")
            let parentView = try await client.send(.get, "/api/v1/executions/\(id)").json()["data"]?["execution"] ?? .null
            #expect(parentView["tasks"]?["sub"]?["child_execution_id"] == .string(childID), "\(parentView)")

            let explained = try await client.send(.get, "/api/v1/executions/\(id)/explain").json()["data"] ?? .null
            let wait = explained["tasks"]?.arrayValue?.first
            #expect(wait?["waiting_for"] == "child_execution", "\(explained)")
            #expect(wait?["child_execution_id"] == .string(childID) && wait?["child_status"] == "running")

            _ = try await client.send(.post, "/api/v1/executions/\(childID)/signals/go", json: 7)
            let done = try await client.waitForExecution(id)
            #expect(done.execution.status == .completed)
            #expect(done.execution.tasks?["sub"]?.output?["outputs"] == ["w": 7])
        }
    }
}

import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import HarmoniaEngine
import HarmoniaTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HarmoniaServer

/// `GET /executions/{id}/explain` on a real engine, and the run-time stuck check that
/// reports an execution nothing can move in the log and in `/metrics`.
struct ExplainRoutesTests {
    @Test func explainsEachWaitAndReportsAStuckExecution() async throws {
        try await TestServer.with(configure: { $0.stuckCheckInterval = 0.2 }) { client, server in
            server.engine.adapters.markUnavailable(component: "vault", reason: "Hermes lists vault but GET /health failed twice")
            let workflow = try await client.createWorkflow([
                "name": "why",
                "tasks": [
                    "nap": ["component": "harmonia", "action": "sleep", "input": ["seconds": 60.0]],
                    "store": ["component": "vault", "action": "put"],
                    "after": ["component": "harmonia", "action": "noop", "depends_on": ["nap"]],
                ],
            ])
            let id = try await client.startExecution(workflow.id)
            _ = try await client.waitForExecution(id, timeout: .seconds(30)) {
                $0.execution.tasks?["nap"]?.status == .running && $0.execution.tasks?["store"]?.status == .waiting
            }

            var explained = try await client.send(.get, "/api/v1/executions/\(id)/explain")
            #expect(explained.status == .ok, "\(explained.text)")
            var data = try explained.json()["data"] ?? .null
            #expect(data["can_progress"] == true && data["stuck_tasks"] == [])
            let tasks = Dictionary(
                uniqueKeysWithValues: (data["tasks"]?.arrayValue ?? []).map { ($0["task_id"]?.stringValue ?? "", $0) })
            #expect(tasks["nap"]?["waiting_for"] == "running")
            #expect(tasks["store"]?["waiting_for"] == "component")
            #expect(tasks["store"]?["reason"] == "Hermes lists vault but GET /health failed twice")
            #expect(tasks["after"]?["waiting_for"] == "dependencies" && tasks["after"]?["dependencies"] == ["nap"])
            #expect(try await client.send(.get, "/api/explain-does-not-exist").status == .notFound)
            #expect(try await client.send(.get, "/api/v1/executions/nope/explain").status == .notFound)

            // The component is removed from configuration: nothing will ever serve `store`.
            server.engine.adapters.unregister(component: "vault")
            explained = try await client.send(.get, "/api/executions/\(id)/explain")
            data = try explained.json()["data"] ?? .null
            #expect(data["can_progress"] == false && data["stuck_tasks"] == ["store"], "\(explained.text)")
            #expect(data["summary"]?.stringValue?.hasPrefix("stuck") == true)

            await eventually("/metrics counts the stuck execution") {
                let metrics = (try? await client.send(.get, "/metrics").text) ?? ""
                return metrics.contains("harmonia_stuck_executions 1")
            }
            _ = try await client.send(.post, "/api/v1/executions/\(id)/cancel")
            await eventually("a canceled execution is no longer counted") {
                let metrics = (try? await client.send(.get, "/metrics").text) ?? ""
                return metrics.contains("harmonia_stuck_executions 0")
            }
        }
    }

    @Test func aConcurrencyLimitAndAPauseAreExplained() async throws {
        try await TestServer.with { client, _ in
            let workflow = try await client.createWorkflow([
                "name": "slots", "max_concurrency": 1,
                "tasks": [
                    "first": ["component": "harmonia", "action": "sleep", "input": ["seconds": 60.0]],
                    "second": ["component": "harmonia", "action": "sleep", "input": ["seconds": 60.0]],
                ],
            ])
            let id = try await client.startExecution(workflow.id)
            _ = try await client.waitForExecution(id, timeout: .seconds(30)) {
                $0.execution.tasks?["first"]?.status == .running || $0.execution.tasks?["second"]?.status == .running
            }
            var data = try await client.send(.get, "/api/v1/executions/\(id)/explain").json()["data"] ?? .null
            let held = data["tasks"]?.arrayValue?.first { $0["waiting_for"] == "concurrency_slot" }
            #expect(held?["limit"] == 1 && held?["running"] == 1 && held?["ahead"] == 0, "\(data)")

            _ = try await client.send(.post, "/api/v1/executions/\(id)/pause")
            _ = try await client.waitForExecution(id, timeout: .seconds(30)) { $0.execution.status == .paused }
            data = try await client.send(.get, "/api/v1/executions/\(id)/explain").json()["data"] ?? .null
            #expect(data["tasks"]?.arrayValue?.contains { $0["waiting_for"] == "paused" } == true, "\(data)")
            #expect(data["summary"]?.stringValue?.hasPrefix("paused") == true)
            _ = try await client.send(.post, "/api/v1/executions/\(id)/cancel")
        }
    }
}

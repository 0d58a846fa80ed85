import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import HarmoniaTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

/// Checkpoints over HTTP. The `counted` adapter records every call, so "ran only tasks four
/// and five" is a fact about calls made, not about statuses reported.
@Suite(.timeLimit(.minutes(2)))
struct CheckpointRoutesTests {
    @Test func aChainCheckpointedAfterItsThirdTaskRestoresOnlyFourAndFive() async throws {
        try await LiveServer.with { server in
            let http = server.http
            let workflow = try await http.data(WorkflowView.self, .post, "/api/v1/workflows", json: countedChainJSON(), expect: .created)
            server.counter.hold("t4")
            let original = try await http.data(
                ExecutionStatusView.self, .post, "/api/v1/executions", json: ["workflow_id": .string(workflow.workflowID)],
                expect: .created
            ).executionID
            try await http.waitForExecution(original) { $0.execution.tasks?["t4"]?.status == .running }

            let checkpoint = try await http.data(
                CheckpointView.self, .post, "/api/v1/executions/\(original)/checkpoint", json: [:], expect: .created)
            #expect(checkpoint.checkpoint.reason == "manual")
            #expect(checkpoint.summary.completedTasks == ["t1", "t2", "t3"])
            let raw = try await http.send(.get, "/api/v1/checkpoints/\(checkpoint.checkpointID)")
            #expect(try JSONValue.parse(raw.body.readableBytesView)["data"]?["checkpoint_id"] == .string(checkpoint.checkpointID))
            _ = try await http.data(ExecutionStatusView.self, .post, "/api/v1/executions/\(original)/cancel", json: [:])

            server.counter.release("t4")
            let restored = try await http.data(
                RestoredExecution.self, .post, "/api/v1/checkpoints/\(checkpoint.checkpointID)/restore", expect: .created)
            #expect(restored.restoredFrom == original)
            #expect(restored.originalExecutionID == original)
            #expect(restored.checkpointID == checkpoint.checkpointID)
            #expect(restored.keptTasks == ["t1", "t2", "t3"])
            #expect(restored.executionID != original)

            let done = try await http.waitForExecution(restored.executionID)
            #expect(done.execution.status == .completed)
            #expect(server.counter.calls(in: restored.executionID) == ["t4", "t5"])
            #expect(server.counter.calls(in: original) == ["t1", "t2", "t3", "t4"])
            #expect(done.execution.tasks?["t3"]?.output == ["result": "t3 done"])
            #expect(done.execution.record.restoredFrom == original)
            #expect(done.execution.record.metadata["original_execution_id"] == .string(original))
        }
    }

    @Test func anExecutionThatFailedAtFourRestoresFromFour() async throws {
        try await LiveServer.with { server in
            let http = server.http
            let workflow = try await http.data(WorkflowView.self, .post, "/api/v1/workflows", json: countedChainJSON(), expect: .created)
            server.counter.fail("t4")
            let original = try await http.data(
                ExecutionStatusView.self, .post, "/api/v1/workflows/\(workflow.workflowID)/execute", json: [:], expect: .created
            ).executionID
            let failed = try await http.waitForExecution(original)
            #expect(failed.execution.status == .failed)
            #expect(failed.execution.tasks?["t5"]?.status == .skipped)

            let checkpoint = try await http.data(
                CheckpointView.self, .post, "/api/v1/executions/\(original)/checkpoint", json: ["reason": "before retry"],
                expect: .created)
            #expect(checkpoint.checkpoint.reason == "before retry")
            #expect(checkpoint.checkpoint.record.status == .failed)
            server.counter.heal("t4")
            let restored = try await http.data(
                RestoredExecution.self, .post, "/api/checkpoints/\(checkpoint.checkpointID)/restore", expect: .created)
            let done = try await http.waitForExecution(restored.executionID)
            #expect(done.execution.status == .completed)
            #expect(server.counter.calls(in: restored.executionID) == ["t4", "t5"])
            #expect(server.counter.calls(in: original) == ["t1", "t2", "t3", "t4"])
        }
    }

    @Test func listingIncludesAutomaticCheckpointsAndUnknownIDsAre404() async throws {
        try await LiveServer.with { server in
            let http = server.http
            let workflow = try await http.data(WorkflowView.self, .post, "/api/v1/workflows", json: countedChainJSON(3), expect: .created)
            server.counter.hold("t2")
            let id = try await http.data(
                ExecutionStatusView.self, .post, "/api/v1/executions", json: ["workflow_id": .string(workflow.workflowID)],
                expect: .created
            ).executionID
            try await http.waitForExecution(id) { $0.execution.tasks?["t2"]?.status == .running }
            #expect(try await http.data(CheckpointList.self, .get, "/api/v1/executions/\(id)/checkpoints").count == 0)
            _ = try await http.data(ExecutionStatusView.self, .post, "/api/v1/executions/\(id)/pause", json: [:])
            _ = try await http.data(CheckpointView.self, .post, "/api/v1/executions/\(id)/checkpoint", expect: .created)
            _ = try await http.data(ExecutionStatusView.self, .post, "/api/v1/executions/\(id)/cancel", json: [:])

            let list = try await http.data(CheckpointList.self, .get, "/api/v1/executions/\(id)/checkpoints")
            #expect(list.executionID == id)
            #expect(list.checkpoints.map(\.reason) == ["pause", "manual", "cancel"])
            #expect(list.checkpoints.map(\.seq) == list.checkpoints.map(\.seq).sorted())
            #expect(list.checkpoints.first?.completedTasks == ["t1"])
            // The automatic cancel checkpoint snapshots what was there to cancel.
            #expect(list.checkpoints.last?.status == .paused)
            let one = try await http.data(CheckpointView.self, .get, "/api/v1/checkpoints/\(list.checkpoints[1].checkpointID)")
            #expect(one.checkpoint.tasks.count == 3)

            try await http.send(.post, "/api/v1/executions/nope/checkpoint", json: [:]).expectError(.notFound, code: "not_found")
            try await http.send(.get, "/api/v1/executions/nope/checkpoints").expectError(.notFound, code: "not_found")
            try await http.send(.get, "/api/v1/checkpoints/nope").expectError(.notFound, code: "not_found")
            try await http.send(.post, "/api/v1/checkpoints/nope/restore").expectError(.notFound, code: "not_found")
            try await http.send(.post, "/api/v1/executions/\(id)/checkpoint", json: ["reason": ""])
                .expectError(.badRequest, code: "invalid_request")
        }
    }
}

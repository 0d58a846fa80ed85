import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaPlugins
import Testing

/// Canceling a workflow while an adapter's call runs, with the adapters loaded from their
/// `.so` files: the adapter hears of the cancel through the ABI and still cleans up on the
/// component through the host's HTTP client, during the call's cleanup window.
@Suite(.timeLimit(.minutes(2)))
struct CancelCleanupEndToEndTests {
    @Test func cancelingTheWorkflowDeletesTheRunningErgonSandbox() async throws {
        let ergon = ErgonDouble()
        ergon.script("sleep 600", .init())
        ergon.holdExecution(true)
        try await ergon.serve { url in
            try await SeedWorkflowTests.withEngine(["ergon": ComponentConfiguration(endpoint: url)]) { h in
                let id = try await h.start(
                    WorkflowDefinition(
                        name: "long",
                        tasks: [
                            TaskDefinition(
                                id: "run", component: "ergon", action: "execute_command", input: ["command": "sleep 600"], timeout: 120)
                        ]))
                // The command runs: its execute stream is open and held by the double.
                try await waitUntil { ergon.calls.count("POST /api/ergon/sandbox/execute") == 1 }
                #expect(ergon.liveSandboxes == 1)
                try await h.engine.cancel(executionID: id)
                #expect(try await h.finished(id).record.status == .canceled)
                // The adapter's DELETE after the cancel reached Ergon through the host.
                try await waitUntil { ergon.deletedSandboxes.count == 1 }
                #expect(ergon.liveSandboxes == 0)
                #expect(ergon.calls.count("DELETE /api/ergon/sandbox/\(ergon.deletedSandboxes[0])") == 1)
                // And then the registry unit the command was stored as.
                try await waitUntil { ergon.liveUnits == 0 }
                ergon.holdExecution(false)
            }
        }
    }

    @Test func cancelingTheWorkflowCancelsTheRunningSynthesisExecution() async throws {
        let synthesis = SynthesisDouble()
        synthesis.finish(afterPolls: nil)
        try await synthesis.serve { url in
            try await SeedWorkflowTests.withEngine(["synthesis": ComponentConfiguration(endpoint: url, options: ["poll_interval": 0.05])]) {
                h in
                let id = try await h.start(
                    WorkflowDefinition(
                        name: "plan",
                        tasks: [
                            TaskDefinition(
                                id: "run", component: "synthesis", action: "execute_command", input: ["command": "echo hi"], timeout: 120)
                        ]))
                // Synthesis' execution id is the context id `<execution_id>:<task_id>`.
                let remote = "\(id):run"
                try await waitUntil { synthesis.status(of: remote) == "in_progress" }
                try await h.engine.cancel(executionID: id)
                #expect(try await h.finished(id).record.status == .canceled)
                // The adapter's cancel request after the cancel reached Synthesis through the host.
                try await waitUntil { synthesis.calls.count("POST /api/v1/executions/\(remote)/cancel") == 1 }
                #expect(synthesis.status(of: remote) == "cancelled")
            }
        }
    }
}

import Foundation
import HarmoniaClient
import Testing

/// `harmonia executions signal ID NAME [--data JSON | --data-file PATH]` against the real
/// binary: the payload reaches the waiting task, bad input exits non-zero with a clear message.
struct SignalCLITests {
    @Test("executions signal sends --data and --data-file payloads; mistakes exit 1 with the reason", .timeLimit(.minutes(2)))
    func signalCommand() async throws {
        let dataDirectory = try TemporaryDirectory()
        defer { dataDirectory.remove() }
        let server = try await ServerProcess(binary: try CLITests.binary(), dataDirectory: dataDirectory.path)
        defer { server.kill() }
        let api = server.client()
        let workflow = try await api.createWorkflow([
            "name": "cli-signals",
            "tasks": [
                "first": ["component": "harmonia", "action": "wait_for_signal", "input": ["name": "first"]],
                "second": ["component": "harmonia", "action": "wait_for_signal", "input": ["name": "second"], "depends_on": ["first"]],
            ],
        ])
        let id = try await api.executeWorkflow(workflowID: workflow.workflowID).executionID

        // Sent before its task waits: kept.
        let file = try dataDirectory.write("payload.json", #"{"from": "file", "n": [1, 2]}"#)
        let kept = try await CLITests.harmonia(["executions", "signal", id, "second", "--data-file", file, "--url", server.baseURL])
        #expect(kept.status == 0, "stderr: \(kept.stderr)")
        #expect(kept.stdout.contains("pending"), "stdout: \(kept.stdout)")

        let both = try await CLITests.harmonia(["executions", "signal", id, "first", "--data", "1", "--data-file", file, "--url", server.baseURL])
        #expect(both.status != 0)
        #expect(both.stderr.contains("not both"), "stderr: \(both.stderr)")
        let notJSON = try await CLITests.harmonia(["executions", "signal", id, "first", "--data", "{oops", "--url", server.baseURL])
        #expect(notJSON.status != 0)
        #expect(notJSON.stderr.contains("--data is not valid JSON"), "stderr: \(notJSON.stderr)")
        let badName = try await CLITests.harmonia(["executions", "signal", id, "no spaces", "--data", "1", "--url", server.baseURL])
        #expect(badName.status != 0)
        #expect(badName.stderr.contains("invalid_request"), "stderr: \(badName.stderr)")

        let sent = try await CLITests.harmonia(["executions", "signal", id, "first", "--data", #"{"ok": true}"#, "--url", server.baseURL])
        #expect(sent.status == 0, "stderr: \(sent.stderr)")
        try await pollUntil("the execution completes", timeout: .seconds(30)) {
            try await api.getExecution(id: id).execution.status == .completed
        }
        let done = try await api.getExecution(id: id)
        #expect(done.execution.tasks?["first"]?.output == ["ok": true])
        #expect(done.execution.tasks?["second"]?.output == ["from": "file", "n": [1, 2]])

        let ended = try await CLITests.harmonia(["executions", "signal", id, "first", "--url", server.baseURL])
        #expect(ended.status == 1)
        #expect(ended.stderr.contains("invalid_state"), "stderr: \(ended.stderr)")
    }
}

import Foundation
import HarmoniaClient
import Testing

/// The hardening issue's requests against the real binary: each is refused (or fails its
/// task) while the server stays up, and a restart on the same data directory is healthy.
/// Out-of-range settings stop `serve` with a configuration error instead of aborting it.
@Suite(.timeLimit(.minutes(3)))
struct HostileRequestRestartTests {
    static func task(_ extra: String) -> String {
        #"{"name": "w", "tasks": {"a": {"component": "harmonia", "action": "noop"\#(extra)}}}"#
    }

    /// Definitions the server must refuse, with the HTTP status and code. (`1e400` is not
    /// here: the client refuses it before sending; the server tests send it raw.)
    static let refusedDefinitions: [(String, Int, String)] = [
        (#"{"name": "w", "checkpoint_interval": 1e21, "tasks": {"a": {"component": "harmonia", "action": "noop"}}}"#, 422, "invalid_definition"),
        (#"{"name": "w", "timeout": 1e21, "tasks": {"a": {"component": "harmonia", "action": "noop"}}}"#, 422, "invalid_definition"),
        (task(#", "timeout": 1e21"#), 422, "invalid_definition"),
        (task(#", "retry_policy": {"initial_delay": 1e21}"#), 422, "invalid_retry_policy"),
        (#"{"id": "a/b/c", "name": "w", "tasks": {"a": {"component": "harmonia", "action": "noop"}}}"#, 422, "invalid_definition"),
        (#"{"id": "../x", "name": "w", "tasks": {"a": {"component": "harmonia", "action": "noop"}}}"#, 422, "invalid_definition"),
    ]

    @Test func hostileRequestsAreRefusedAndARestartOnTheSameDataIsHealthy() async throws {
        let binary = try #require(HarmoniaBinary.locate(), "harmonia binary not found \(HarmoniaBinary.searchDescription)")
        let dataDirectory = try TemporaryDirectory()
        defer { dataDirectory.remove() }

        let first = try await ServerProcess(
            binary: binary, dataDirectory: dataDirectory.path, extraArguments: ["--checkpoint-interval", "0.5"])
        defer { first.kill() }
        let api = first.client()
        for (body, status, code) in Self.refusedDefinitions {
            do {
                _ = try await api.createWorkflow(Data(body.utf8))
                Issue.record("accepted: \(body)")
            } catch let error as HarmoniaClientError {
                #expect(error.status == status && error.code == code, "\(body): \(error)")
            }
        }

        // Outputs that double at every level: a task fails with a clear code (with the
        // default 2 MiB limits, the input of the task that would pass them comes first).
        var tasks: [String: JSONValue] = [
            "t0": ["component": "harmonia", "action": "transform", "input": ["value": .string(String(repeating: "x", count: 4096))]]
        ]
        for level in 1...21 {
            let previous = JSONValue.string("${tasks.t\(level - 1).output.result}")
            tasks["t\(level)"] = [
                "component": "harmonia", "action": "transform", "input": ["value": [previous, previous]],
                "depends_on": [.string("t\(level - 1)")],
            ]
        }
        let doubling = try await api.createWorkflow(["name": "doubling", "tasks": .object(tasks)])
        let doubled = try await api.executeWorkflow(workflowID: doubling.workflowID).executionID
        let failed = try await api.waitForCompletion(executionID: doubled, timeout: .seconds(60))
        #expect(failed.execution.status == .failed)
        let codes = failed.execution.tasks?.values.compactMap { $0.error?.code } ?? []
        #expect(codes.count == 1 && ["input_too_large", "output_too_large"].contains(codes.first ?? ""), "\(codes)")

        // A backtracking pattern is refused in milliseconds.
        let redos = try await api.createWorkflow([
            "name": "redos", "input_schema": ["type": "object", "properties": ["s": ["type": "string", "pattern": "^(a+)+$"]]],
            "tasks": ["a": ["component": "harmonia", "action": "noop"]],
        ])
        do {
            _ = try await api.executeWorkflow(workflowID: redos.workflowID, input: ["s": .string(String(repeating: "a", count: 64) + "!")])
            Issue.record("the backtracking input was accepted")
        } catch let error as HarmoniaClientError {
            #expect(error.status == 400 && error.code == "invalid_input", "\(error)")
        }

        // Work in flight at the kill, with interval checkpoints armed.
        let sleeper = try await api.createWorkflow([
            "name": "sleeper", "checkpoint_interval": 31_536_000,
            "tasks": ["nap": ["component": "harmonia", "action": "sleep", "input": ["seconds": 2.0]]],
        ])
        let sleeping = try await api.executeWorkflow(workflowID: sleeper.workflowID).executionID
        #expect(try await api.isReady())
        #expect(first.child.isRunning)
        first.child.send(SIGKILL)
        _ = try await first.child.waitForExit(timeout: .seconds(30))

        // Same data directory: recovery re-arms every timer and the server stays up.
        let second = try await ServerProcess(
            binary: binary, dataDirectory: dataDirectory.path, extraArguments: ["--checkpoint-interval", "0.5"])
        defer { second.kill() }
        let again = second.client()
        try await pollUntil("the restarted server is ready", timeout: .seconds(30)) { (try? await again.isReady()) == true }
        let done = try await again.waitForCompletion(executionID: sleeping, timeout: .seconds(60))
        #expect(done.execution.status == .completed)
        #expect(try await again.getExecution(id: doubled).execution.status == .failed)
        try await Task.sleep(for: .seconds(1))  // two interval checkpoint periods: still alive
        #expect(second.child.isRunning, "the restarted server died: \(second.child.diagnostics)")
        #expect(try await again.health().status == "healthy")
    }

    @Test(arguments: [
        (["--checkpoint-interval", "1e30"], [String: String]()),
        ([], ["HARMONIA_CHECKPOINT_INTERVAL": "1e21"]),
        ([], ["HARMONIA_REQUEST_HEAD_TIMEOUT": "1e30"]),
        ([], ["HARMONIA_MAX_CONNECTIONS": "0"]),
    ])
    func outOfRangeSettingsAreAConfigurationErrorNotACrash(arguments: [String], environment: [String: String]) async throws {
        let binary = try #require(HarmoniaBinary.locate(), "harmonia binary not found \(HarmoniaBinary.searchDescription)")
        let dataDirectory = try TemporaryDirectory()
        defer { dataDirectory.remove() }
        let child = try ChildProcess(
            binary: binary, arguments: ["serve", "--port", "0", "--data-dir", dataDirectory.path] + arguments,
            environment: environment)
        defer { child.kill() }
        let status = try await child.waitForExit(timeout: .seconds(30))
        #expect(status != 0 && status < 128, "exit status \(status): \(child.diagnostics)")
        #expect(child.stderr.text.contains("invalid configuration") || child.stderr.text.contains("must be"), "\(child.diagnostics)")
    }
}

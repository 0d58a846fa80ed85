import Foundation
import HarmoniaClient
import Testing

/// The `harmonia` command line against a live server subprocess.
struct CLITests {
    /// The repository root, found from this file's path, for the shipped examples.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func binary() throws -> String {
        try #require(HarmoniaBinary.locate(), "harmonia binary not found \(HarmoniaBinary.searchDescription)")
    }

    /// Runs `harmonia ARGS` to completion (deadline `timeout`) and returns status and output.
    static func harmonia(_ arguments: [String], timeout: Duration = .seconds(60)) async throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        let child = try ChildProcess(binary: try binary(), arguments: arguments)
        defer { child.kill() }
        let status = try await child.waitForExit(timeout: timeout)
        return (status, child.stdout.text, child.stderr.text)
    }

    @Test("run docs/examples/chain.json --wait completes, prints the tasks and exits 0", .timeLimit(.minutes(2)))
    func runExampleAndWait() async throws {
        let dataDirectory = try TemporaryDirectory()
        defer { dataDirectory.remove() }
        let server = try await ServerProcess(binary: try Self.binary(), dataDirectory: dataDirectory.path)
        defer { server.kill() }

        let example = Self.repositoryRoot.appendingPathComponent("docs/examples/chain.json").path
        let result = try await Self.harmonia(
            ["run", example, "--input", "name=Harmonia", "--wait", "--url", server.baseURL])
        #expect(result.status == 0, "stdout:\n\(result.stdout)\nstderr:\n\(result.stderr)")
        #expect(result.stdout.contains("completed"))
        #expect(result.stdout.contains("Hello, Harmonia"), "the greeting flows through the chain: \(result.stdout)")
        for task in ["greet", "shout", "report"] {
            #expect(result.stdout.contains(task), "task \(task) appears in the summary")
        }
    }

    @Test("run of a YAML file without --wait prints the execution id", .timeLimit(.minutes(2)))
    func runYAMLPrintsID() async throws {
        let dataDirectory = try TemporaryDirectory()
        defer { dataDirectory.remove() }
        let server = try await ServerProcess(binary: try Self.binary(), dataDirectory: dataDirectory.path)
        defer { server.kill() }

        let example = Self.repositoryRoot.appendingPathComponent("docs/examples/diamond.yaml").path
        let result = try await Self.harmonia(["run", example, "--url", server.baseURL])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let id = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(UUID(uuidString: id) != nil, "a UUID on stdout, got '\(id)'")

        let detail = try await server.client().waitForCompletion(executionID: id, timeout: .seconds(30), pollInterval: .milliseconds(25))
        #expect(detail.execution.status == .completed)

        let shown = try await Self.harmonia(["executions", "show", id, "--url", server.baseURL])
        #expect(shown.status == 0)
        #expect(shown.stdout.contains(id))
        let listed = try await Self.harmonia(["executions", "list", "--status", "completed", "--url", server.baseURL])
        #expect(listed.status == 0)
        #expect(listed.stdout.contains(id))
    }

    @Test("run --wait of a failing workflow exits 1 and names the failure", .timeLimit(.minutes(2)))
    func runFailingWorkflowExitsOne() async throws {
        let dataDirectory = try TemporaryDirectory()
        defer { dataDirectory.remove() }
        let server = try await ServerProcess(binary: try Self.binary(), dataDirectory: dataDirectory.path)
        defer { server.kill() }

        let file = try dataDirectory.write(
            "fail.json",
            #"{"name": "fails", "tasks": {"boom": {"component": "harmonia", "action": "fail", "input": {"message": "kaboom", "retryable": false}}}}"#)
        let result = try await Self.harmonia(["run", file, "--wait", "--url", server.baseURL])
        #expect(result.status == 1, "stdout:\n\(result.stdout)\nstderr:\n\(result.stderr)")
        #expect(result.stdout.contains("failed"))
        #expect(result.stdout.contains("kaboom"))
    }

    @Test("a missing file, an invalid definition and an unknown id fail with a clear message", .timeLimit(.minutes(2)))
    func badInputFailsClearly() async throws {
        let dataDirectory = try TemporaryDirectory()
        defer { dataDirectory.remove() }
        let server = try await ServerProcess(binary: try Self.binary(), dataDirectory: dataDirectory.path)
        defer { server.kill() }

        let missing = try await Self.harmonia(["run", dataDirectory.path + "/nope.json", "--url", server.baseURL])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no such file"), "stderr: \(missing.stderr)")

        let cycle = try dataDirectory.write(
            "cycle.json",
            #"{"name": "cycle", "tasks": {"a": {"component": "harmonia", "action": "noop", "depends_on": ["b"]}, "b": {"component": "harmonia", "action": "noop", "depends_on": ["a"]}}}"#)
        let invalid = try await Self.harmonia(["run", cycle, "--url", server.baseURL])
        #expect(invalid.status != 0)
        #expect(invalid.stderr.contains("dependency_cycle"), "the server's code is shown: \(invalid.stderr)")

        // Several mistakes at once: every one is printed with its path, not only the first.
        let several = try dataDirectory.write(
            "several.json",
            #"{"name": "several", "tasks": [{"id": "a", "component": "harmonia", "action": "echo", "retry_policy": {"max_retries": -1, "jitter": 5}}, {"component": "harmonia"}]}"#)
        let problems = try await Self.harmonia(["run", several, "--url", server.baseURL])
        #expect(problems.status != 0)
        for expected in ["tasks[0].retry_policy.max_retries", "tasks[0].retry_policy.jitter", "tasks[1]"] {
            #expect(problems.stderr.contains(expected), "\(expected) is named: \(problems.stderr)")
        }

        let notJSON = try dataDirectory.write("broken.json", "{\"name\": ")
        let broken = try await Self.harmonia(["run", notJSON, "--url", server.baseURL])
        #expect(broken.status != 0)
        #expect(broken.stderr.contains("broken.json"), "the file is named: \(broken.stderr)")

        let unknown = try await Self.harmonia(["executions", "show", UUID().uuidString.lowercased(), "--url", server.baseURL])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("not_found"), "stderr: \(unknown.stderr)")

        let unreachable = try await Self.harmonia(["executions", "list", "--url", "http://127.0.0.1:9"])
        #expect(unreachable.status != 0)
        #expect(
            unreachable.stderr.contains("cannot connect to http://127.0.0.1:9: connection refused — is the server running?"),
            "stderr: \(unreachable.stderr)")
    }

    @Test("SIGTERM stops the server gracefully with exit status 0", .timeLimit(.minutes(1)))
    func sigtermIsGraceful() async throws {
        let dataDirectory = try TemporaryDirectory()
        defer { dataDirectory.remove() }
        let server = try await ServerProcess(binary: try Self.binary(), dataDirectory: dataDirectory.path)
        defer { server.kill() }

        let health = try await server.client().health()
        #expect(health.component == "harmonia")
        server.child.send(SIGTERM)
        let status = try await server.child.waitForExit(timeout: .seconds(20))
        #expect(status == 0, "\(server.child.diagnostics)")
    }

    /// A connection a client opened but never used (a spare in a client's pool, a browser's
    /// preconnect) must not hold the shutdown until the client closes it. It is kept open
    /// for the whole test; before the fix the server only exited once the client gave up.
    @Test("SIGTERM does not wait for a connection that never sent a request", .timeLimit(.minutes(1)))
    func sigtermClosesSilentConnections() async throws {
        let dataDirectory = try TemporaryDirectory()
        defer { dataDirectory.remove() }
        let server = try await ServerProcess(binary: try Self.binary(), dataDirectory: dataDirectory.path)
        defer { server.kill() }
        #expect(try await server.client().health().component == "harmonia")
        let port = try #require(URLComponents(string: server.baseURL)?.port)
        let silent = try SilentConnection(port: port)
        defer { silent.close() }

        server.child.send(SIGTERM)
        let status = try await server.child.waitForExit(timeout: .seconds(30))
        #expect(status == 0, "\(server.child.diagnostics)")
        #expect(silent.isClosedByPeer(), "the server exited without closing the silent connection")
    }
}

import Foundation
import HarmoniaClient
import Testing

/// The first steps of a new user, through the real binary: the seed example on a plain
/// server and with the development configuration, shared options before the command,
/// `run` reusing what it stored, warnings and refusals at create time, a port in use.
@Suite(.timeLimit(.minutes(4)))
struct ConsoleCLITests {
    static var seed: String { CLITests.repositoryRoot.appendingPathComponent("docs/examples/seed.json").path }

    @Test("seed.json on a plain server fails saying how to enable Ergon; start-up says what is loaded and enabled")
    func seedOnAPlainServer() async throws {
        let base = try TemporaryDirectory()
        defer { base.remove() }
        // As `scripts/run.sh` starts it: the adapters next to the binary, no configuration.
        let server = try await ServerProcess(binary: try CLITests.binary(), dataDirectory: base.path + "/data")
        defer { server.kill() }
        let summary = try #require(
            server.child.stderr.text.split(separator: "\n").first { $0.contains("adapters loaded:") },
            "\(server.child.stderr.text)")
        #expect(summary.contains("ergon") && summary.contains("enabled: harmonia"), "\(summary)")
        #expect(summary.contains("not enabled: ") && summary.contains("config/harmonia.dev.yaml"), "\(summary)")

        let result = try await CLITests.harmonia(["run", Self.seed, "--wait", "--url", server.baseURL])
        #expect(result.status == 1, "stdout:\n\(result.stdout)\nstderr:\n\(result.stderr)")
        let task1 = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("  task1 ") }, "\(result.stdout)")
        #expect(task1.contains("component_unavailable"), "\(task1)")
        // The cell is clipped; the whole message, with how to enable Ergon, follows the table.
        #expect(result.stdout.contains("task1: component_unavailable: no adapter serves component 'ergon'"), "\(result.stdout)")
        #expect(result.stdout.contains("not enabled: add `components: {ergon: {...}}` to the configuration file"), "\(result.stdout)")
        let plugins = try await CLITests.harmonia(["plugins", "list", "--url", server.baseURL])
        let ergon = try #require(plugins.stdout.split(separator: "\n").first { $0.hasPrefix("ergon ") }, "\(plugins.stdout)")
        #expect(ergon.contains("no (") && ergon.contains("components: {ergon:"), "\(ergon)")
        #expect(ergon.contains("libHarmoniaErgon.so"), "\(ergon)")
    }

    @Test("seed.json with the development configuration: task1 completes with Hello World")
    func seedWithTheDevelopmentConfiguration() async throws {
        let base = try TemporaryDirectory()
        defer { base.remove() }
        let config = CLITests.repositoryRoot.appendingPathComponent("config/harmonia.dev.yaml").path
        let server = try await ServerProcess(
            binary: try CLITests.binary(), dataDirectory: base.path + "/data", extraArguments: ["--config", config])
        defer { server.kill() }
        let result = try await CLITests.harmonia(["run", Self.seed, "--wait", "--url", server.baseURL])
        // task2 (Prometheus) fails with no Prometheus anywhere, as the README shows.
        #expect(result.status == 1, "stdout:\n\(result.stdout)\nstderr:\n\(result.stderr)")
        let task1 = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("  task1 ") }, "\(result.stdout)")
        #expect(task1.contains("completed") && task1.contains("Hello World"), "\(task1)")
        let task2 = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("  task2 ") }, "\(result.stdout)")
        #expect(task2.contains("component_unavailable"), "\(task2)")
    }

    @Test("--url and --api-key work before the command, between command words, and after it")
    func sharedOptionsBeforeTheCommand() async throws {
        let base = try TemporaryDirectory()
        defer { base.remove() }
        let server = try await ServerProcess(
            binary: try CLITests.binary(), dataDirectory: base.path + "/data", extraArguments: ["--api-key", "sekrit"])
        defer { server.kill() }
        let chain = CLITests.repositoryRoot.appendingPathComponent("docs/examples/chain.json").path
        let forms: [[String]] = [
            ["--url", server.baseURL, "--api-key", "sekrit", "workflows", "list"],
            ["--url=\(server.baseURL)", "--api-key=sekrit", "executions", "list"],
            ["executions", "--url", server.baseURL, "--api-key", "sekrit", "list"],
            ["--api-key", "sekrit", "run", chain, "--input", "name=Ada", "--wait", "--url", server.baseURL],
        ]
        for arguments in forms {
            let result = try await CLITests.harmonia(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
        // The key given before the command is the one sent: a wrong one is refused.
        let wrong = try await CLITests.harmonia(["--api-key", "nope", "--url", server.baseURL, "workflows", "list"])
        #expect(wrong.status != 0)
        #expect(wrong.stderr.contains("unauthorized"), "\(wrong.stderr)")
        // A command that takes no --url still says so.
        let bad = try await CLITests.harmonia(["--url", server.baseURL, "plugins", "inspect", "/nonexistent.so"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--url"), "\(bad.stderr)")
    }

    @Test("run FILE again reuses the stored workflow; a changed file becomes its next version")
    func runReusesTheStoredWorkflow() async throws {
        let base = try TemporaryDirectory()
        defer { base.remove() }
        let server = try await ServerProcess(binary: try CLITests.binary(), dataDirectory: base.path + "/data")
        defer { server.kill() }
        let yaml = """
            name: reused
            tasks:
              greet: {component: harmonia, action: echo, input: {message: "hi ${input.who}"}}
              after: {component: harmonia, action: transform, input: {value: "${tasks.greet.result}"}}
            """
        let file = try base.write("reused.yaml", yaml)
        let first = try await CLITests.harmonia(["run", file, "--input", "who=a", "--wait", "--url", server.baseURL])
        #expect(first.status == 0, "\(first.stderr)")
        let second = try await CLITests.harmonia(["run", file, "--input", "who=b", "--wait", "--url", server.baseURL])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("the stored version 1 is the same; reusing it"), "\(second.stderr)")
        let api = server.client()
        var listed = try await api.listWorkflows(name: "reused")
        #expect(listed.workflows.count == 1)

        _ = try base.write("reused.yaml", yaml.replacingOccurrences(of: "hi ", with: "hello "))
        let changed = try await CLITests.harmonia(["run", file, "--input", "who=c", "--wait", "--url", server.baseURL])
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(changed.stderr.contains("the definition changed; stored as version 2"), "\(changed.stderr)")
        #expect(changed.stdout.contains("hello c"), "\(changed.stdout)")
        listed = try await api.listWorkflows(name: "reused")
        #expect(listed.workflows.count == 1)
        #expect(listed.workflows.first?.definition.version == 2)
        let executions = try await api.listExecutions()
        #expect(Set(executions.executions.map(\.record.workflowID)).count == 1)
    }

    @Test("create-time checks: an undeclared action exits 1 naming it; an unknown component warns")
    func createTimeChecks() async throws {
        let base = try TemporaryDirectory()
        defer { base.remove() }
        let server = try await ServerProcess(binary: try CLITests.binary(), dataDirectory: base.path + "/data")
        defer { server.kill() }
        let typo = try base.write(
            "typo.json", #"{"name": "typo", "tasks": {"a": {"component": "harmonia", "action": "ecko"}}}"#)
        let refused = try await CLITests.harmonia(["run", typo, "--url", server.baseURL])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("task 'a': component 'harmonia' has no action 'ecko'"), "\(refused.stderr)")
        #expect(refused.stderr.contains("code: unknown_action, HTTP 400"), "\(refused.stderr)")

        let later = try base.write(
            "later.json", #"{"name": "later", "tasks": {"a": {"component": "ergonn", "action": "execute_command"}}}"#)
        let warned = try await CLITests.harmonia(["workflows", "create", later, "--url", server.baseURL])
        #expect(warned.status == 0, "\(warned.stderr)")
        #expect(warned.stderr.contains("warning: task 'a': no component named 'ergonn' is known"), "\(warned.stderr)")
        #expect(warned.stderr.contains("(at tasks.a.component)"), "\(warned.stderr)")
        let fresh = try base.write(
            "fresh.json", #"{"name": "fresh", "tasks": {"a": {"component": "ecko", "action": "x"}}}"#)
        let run = try await CLITests.harmonia(["run", fresh, "--url", server.baseURL])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("warning: task 'a': no component named 'ecko'"), "\(run.stderr)")
    }

    @Test("serve on a port in use says which port")
    func portInUse() async throws {
        let base = try TemporaryDirectory()
        defer { base.remove() }
        let server = try await ServerProcess(binary: try CLITests.binary(), dataDirectory: base.path + "/one")
        defer { server.kill() }
        let port = try #require(URLComponents(string: server.baseURL)?.port)
        let second = try await CLITests.harmonia(
            ["serve", "--port", "\(port)", "--data-dir", base.path + "/two"], timeout: .seconds(60))
        #expect(second.status != 0)
        #expect(second.stderr.contains("port \(port) is in use on 127.0.0.1"), "\(second.stderr)")
        #expect(!second.stderr.contains("bind(descriptor"), "\(second.stderr)")
    }
}

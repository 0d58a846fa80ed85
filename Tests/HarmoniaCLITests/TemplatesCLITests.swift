import Foundation
import HarmoniaClient
import Testing

/// `harmonia templates ...` and `harmonia checkpoints ...` against a live server subprocess.
struct TemplatesCLITests {
    static let template = """
        {"name": "greeting", "tags": ["cli"],
         "parameters": {"who": {"type": "string", "required": true, "minLength": 2},
                        "times": {"type": "integer", "default": 2, "maximum": 5}},
         "definition": {"name": "greet ${params.who}",
           "tasks": {"hello": {"component": "harmonia", "action": "echo",
                               "input": {"message": "Hello, ${params.who}!", "times": "${params.times}"}}}}}
        """

    @Test("templates create, list, instantiate (bad values listed, then --run), export, import", .timeLimit(.minutes(2)))
    func templatesEndToEnd() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await ServerProcess(binary: try CLITests.binary(), dataDirectory: directory.path + "/data")
        defer { server.kill() }
        let url = ["--url", server.baseURL]

        let created = try await CLITests.harmonia(["templates", "create", try directory.write("t.json", Self.template)] + url)
        #expect(created.status == 0, "\(created.stderr)")
        let id = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(UUID(uuidString: id) != nil, "a UUID on stdout, got '\(id)'")

        let listed = try await CLITests.harmonia(["templates", "list", "--tag", "cli"] + url)
        #expect(listed.stdout.contains(id) && listed.stdout.contains("times,who"), "\(listed.stdout)")

        let bad = try await CLITests.harmonia(["templates", "instantiate", id, "--param", "times=9"] + url)
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("invalid_parameters"), "\(bad.stderr)")
        #expect(bad.stderr.contains("parameter_values.who") && bad.stderr.contains("parameter_values.times"), "\(bad.stderr)")

        let run = try await CLITests.harmonia(["templates", "instantiate", id, "--param", "who=Ada", "--run"] + url)
        #expect(run.status == 0, "\(run.stderr)")
        let executionID = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let done = try await server.client().waitForCompletion(
            executionID: executionID, timeout: .seconds(30), pollInterval: .milliseconds(25))
        #expect(done.execution.tasks?["hello"]?.output?["result"] == "Hello, Ada!")
        #expect(done.execution.tasks?["hello"]?.output?["times"] == 2)

        let documentPath = directory.path + "/greeting.template.json"
        let exported = try await CLITests.harmonia(["templates", "export", id, "-o", documentPath] + url)
        #expect(exported.status == 0, "\(exported.stderr)")
        let imported = try await CLITests.harmonia(["templates", "import", documentPath] + url)
        #expect(imported.status == 0, "\(imported.stderr)")
        let copy = imported.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(copy != id && UUID(uuidString: copy) != nil)
        let shown = try await CLITests.harmonia(["templates", "show", copy] + url)
        #expect(shown.stdout.contains("${params.who}"), "\(shown.stdout)")
    }

    @Test("checkpoints create, list and restore --wait", .timeLimit(.minutes(2)))
    func checkpointsEndToEnd() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let server = try await ServerProcess(binary: try CLITests.binary(), dataDirectory: directory.path + "/data")
        defer { server.kill() }
        let url = ["--url", server.baseURL]
        let client = server.client()
        let workflow = try await client.createWorkflow([
            "name": "two", "tasks": ["a": ["component": "harmonia", "action": "noop"],
                                     "b": ["component": "harmonia", "action": "fail", "input": ["retryable": false], "depends_on": ["a"]]],
        ])
        let run = try await client.executeWorkflow(workflowID: workflow.workflowID)
        _ = try await client.waitForCompletion(executionID: run.executionID, timeout: .seconds(30), pollInterval: .milliseconds(25))

        let created = try await CLITests.harmonia(["checkpoints", "create", run.executionID, "--reason", "cli"] + url)
        #expect(created.status == 0, "\(created.stderr)")
        let checkpointID = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let listed = try await CLITests.harmonia(["checkpoints", "list", run.executionID] + url)
        #expect(listed.stdout.contains(checkpointID) && listed.stdout.contains("cli"), "\(listed.stdout)")

        // Task b fails again, so --wait reports it; the restore itself kept task a.
        let restored = try await CLITests.harmonia(["checkpoints", "restore", checkpointID, "--wait"] + url)
        #expect(restored.status != 0)
        #expect(restored.stderr.contains("kept a"), "\(restored.stderr)")
        #expect(restored.stderr.contains("ended failed"), "\(restored.stderr)")
        let newID = restored.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let detail = try await client.getExecution(id: newID)
        #expect(detail.execution.record.restoredFrom == run.executionID)
    }
}

import Foundation
import HarmoniaCore
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HarmoniaServer

/// Runs every example of `docs/workflow-language.md` through the real HTTP routes and checks
/// the outcome the page claims for it, so the reference cannot drift from the server.
@Suite("docs/workflow-language.md examples")
struct WorkflowLanguageExamplesTests {
    /// The environment variable the `${env...}` examples read; the suite's servers allow it.
    static let environmentName = "HARMONIA_DOC_REGION"
    static let environmentValue = "eu-west"

    static let loaded = DocExample.load()

    @Test("the page parses: every example has an outcome, every outcome line reads")
    func pageParses() {
        #expect(Self.loaded.problems.isEmpty, "\(Self.loaded.problems.joined(separator: "\n"))")
        // A page whose markers broke would otherwise run nothing and pass.
        #expect(Self.loaded.examples.count >= 30, "only \(Self.loaded.examples.count) examples found")
        #expect(Self.loaded.examples.contains { $0.format == .yaml })
        #expect(Self.loaded.examples.contains { $0.rejected != nil })
        #expect(Self.loaded.examples.contains { $0.isTemplate })
    }

    @Test("each example runs as documented", .timeLimit(.minutes(2)), arguments: WorkflowLanguageExamplesTests.loaded.examples)
    func exampleRunsAsDocumented(example: DocExample) async throws {
        setenv(Self.environmentName, Self.environmentValue, 1)
        try await TestServer.with(environmentAllowlist: [Self.environmentName]) { client, _ in
            try await Self.run(example, client: client)
        }
    }

    /// The outcome checker must be able to fail: a claim the server contradicts, a wrong
    /// status and a rejection that does not happen are each reported.
    @Test("a contradicted outcome fails")
    func contradictedOutcomeFails() async throws {
        let page = """
            # Broken
            ```json example
            {"name": "x", "tasks": [{"id": "a", "component": "harmonia", "action": "echo", "input": {"message": "hi"}}]}
            ```
            ```outcome
            status: failed
            tasks.a.output.result == "bye"
            ```
            ```json example
            {"name": "y", "tasks": [{"id": "a", "component": "harmonia", "action": "noop"}]}
            ```
            ```outcome
            rejected: 422 invalid_definition tasks[0].action
            ```
            """
        let parsed = DocExample.parse(page)
        #expect(parsed.problems.isEmpty)
        #expect(parsed.examples.count == 2)
        for example in parsed.examples {
            try await TestServer.with { client, _ in
                await withKnownIssue("the outcome contradicts the server") {
                    try await Self.run(example, client: client)
                }
            }
        }
        let missing = DocExample.parse("```json example\n{}\n```\ntext\n```json\n{}\n```\n")
        #expect(missing.problems.count == 1)
    }

    // MARK: - Running one example

    static func run(_ example: DocExample, client: some TestClientProtocol) async throws {
        let contentType = example.format == .yaml ? "application/yaml" : "application/json"
        for workflow in example.workflows {
            let made = try await client.send(.post, "/api/v1/workflows", json: workflow)
            guard made.status == .created else {
                Issue.record("creating the extra workflow answered \(made.status.code): \(made.text)")
                return
            }
        }
        let created = try await client.send(
            .post, example.isTemplate ? "/api/v1/templates" : "/api/v1/workflows", text: example.body,
            contentType: contentType)
        if let rejection = example.rejected {
            try check(created, against: rejection, what: "creating it")
            return
        }
        guard created.status == .created else {
            Issue.record("creating it answered \(created.status.code): \(created.text)")
            return
        }
        var definition = try created.json().value(atPath: "data") ?? .null
        if example.isTemplate {
            let templateID = definition.value(atPath: "id")?.stringValue ?? ""
            let instantiated = try await client.send(
                .post, "/api/v1/templates/\(templateID)/instantiate",
                json: ["parameter_values": example.parameters ?? .emptyObject])
            guard instantiated.status == .created else {
                Issue.record("instantiating it answered \(instantiated.status.code): \(instantiated.text)")
                return
            }
            definition = try instantiated.json().value(atPath: "data.workflow") ?? .null
        }
        let workflowID = definition.value(atPath: "id")?.stringValue ?? ""

        var request: [String: JSONValue] = ["workflow_id": .string(workflowID)]
        if let input = example.input { request["input"] = input }
        if let metadata = example.metadata { request["metadata"] = metadata }
        let started = try await client.send(.post, "/api/v1/executions", json: .object(request))
        if let rejection = example.startRejected {
            try check(started, against: rejection, what: "starting it")
            return
        }
        guard started.status == .created, let executionID = try started.json().value(atPath: "data.id")?.stringValue else {
            Issue.record("starting it answered \(started.status.code): \(started.text)")
            return
        }
        for signal in example.signals {
            let sent = try await client.send(.post, "/api/v1/executions/\(executionID)/signals/\(signal.name)", json: signal.payload)
            #expect(sent.status == .ok, "signal \(signal.name): \(sent.text)")
        }

        let execution = try await finished(executionID, client: client)
        let status = execution.value(atPath: "status")?.stringValue
        #expect(status == example.status, "final status; execution: \(execution.jsonString())")
        let roots: [String: JSONValue] = ["tasks": execution.value(atPath: "tasks") ?? .null, "execution": execution, "definition": definition]
        for claim in example.claims {
            let root = String(claim.path.prefix { $0 != "." && $0 != "[" })
            guard let base = roots[root] else {
                Issue.record("claim \(claim.path): unknown root \(root)")
                continue
            }
            let actual = base.value(atPath: String(claim.path.dropFirst(root.count)))
            #expect(
                actual.map { $0.sameJSON(as: claim.value) } == true,
                "\(claim.path): documented \(claim.value.jsonString()), got \(actual?.jsonString() ?? "nothing"); execution: \(execution.jsonString())")
        }
    }

    /// Polls the execution until it is terminal; the whole row with its tasks.
    static func finished(_ id: String, client: some TestClientProtocol) async throws -> JSONValue {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            let response = try await client.send(.get, "/api/v1/executions/\(id)")
            let execution = try response.json().value(atPath: "data.execution") ?? .null
            let status = execution.value(atPath: "status")?.stringValue ?? ""
            if ["completed", "failed", "canceled"].contains(status) { return execution }
            if ContinuousClock.now >= deadline {
                Issue.record("execution \(id) still \(status) after 30 s")
                return execution
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// The answer must be the documented error: status, code, and the path among the problems.
    static func check(_ response: TestResponse, against rejection: DocExample.Rejection, what: String) throws {
        #expect(Int(response.status.code) == rejection.status, "\(what): \(response.text)")
        let body = try response.json()
        #expect(body.value(atPath: "code")?.stringValue == rejection.code, "\(what): \(response.text)")
        if let path = rejection.path {
            var paths = [body.value(atPath: "path")?.stringValue]
            for problem in body.value(atPath: "problems")?.arrayValue ?? [] where problem.value(atPath: "code")?.stringValue == rejection.code {
                paths.append(problem.value(atPath: "path")?.stringValue)
            }
            #expect(paths.contains(path), "\(what): documented path \(path); \(response.text)")
        }
    }
}

import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import HarmoniaEngine
import HarmoniaTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HarmoniaServer

/// The requests of the hardening issue (items 1, 3 and 5) that broke the server, each sent
/// over HTTP: every one is a 4xx naming what is wrong, or a task failed with a clear code,
/// and the server carries on serving.
@Suite(.timeLimit(.minutes(2)))
struct HostileRequestTests {
    static func workflow(_ extraRoot: String = "", task extraTask: String = "") -> String {
        #"{"name": "w"\#(extraRoot), "tasks": {"a": {"component": "harmonia", "action": "noop"\#(extraTask)}}}"#
    }

    @Test(arguments: [
        (workflow(#", "checkpoint_interval": 1e21"#), "checkpoint_interval"),
        (workflow(#", "timeout": 1e21"#), "timeout"),
        (workflow(task: #", "timeout": 1e21"#), "tasks.a.timeout"),
        (workflow(task: #", "retry_policy": {"initial_delay": 1e21}"#), "tasks.a.retry_policy.initial_delay"),
    ])
    func durationsBeyondAYearAre422NamingThePath(body: String, path: String) async throws {
        try await TestServer.with { client, _ in
            for prefix in apiPrefixes {
                let response = try await client.send(.post, "\(prefix)/workflows", text: body, contentType: "application/json")
                // 422 `invalid_definition` / `invalid_retry_policy`, as for every invalid definition.
                #expect(response.status == .unprocessableContent, "\(response.text)")
                let json = try response.json()
                let paths = json["problems"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? []
                #expect(json["path"]?.stringValue == path || paths.contains(path), "\(response.text)")
                #expect(response.text.contains("31536000"), "the message says the limit: \(response.text)")
            }
            #expect(try await client.send(.get, "/health").status == .ok)
        }
    }

    @Test func numbersBeyondDoubleAre400InDefinitionsInputsAndActionCalls() async throws {
        try await TestServer.with { client, _ in
            let definition = try await client.send(
                .post, "/api/v1/workflows", text: Self.workflow(#", "timeout": 1e400"#), contentType: "application/json")
            let error = try definition.expectError(.badRequest, code: "invalid_json")
            #expect(error.detail.contains("out of range"), "\(error.detail)")
            #expect(!error.detail.contains("got number"))

            let workflow = try await client.createWorkflow(Fixtures.noop())
            let input = try await client.send(
                .post, "/api/v1/executions", text: #"{"workflow_id": "\#(workflow.id)", "input": {"x": 1e400}}"#,
                contentType: "application/json")
            try input.expectError(.badRequest, code: "invalid_json")

            let action = try await client.send(
                .post, "/api/v1/components/harmonia/actions/echo", text: #"{"x": -1e400}"#, contentType: "application/json")
            try action.expectError(.badRequest, code: "invalid_json")
        }
    }

    /// Strict JSON at the edge: a duplicate key (which used to keep the last silently) and
    /// invalid UTF-8 (which used to be repaired and stored) are 400 `invalid_json` naming
    /// where, and nothing is stored.
    @Test func duplicateKeysAndInvalidUTF8Are400NamingWhere() async throws {
        try await TestServer.with { client, _ in
            let duplicate = try await client.send(
                .post, "/api/v1/workflows",
                text: #"{"name": "w", "tasks": {"a": {"component": "harmonia", "action": "noop", "action": "echo"}}}"#,
                contentType: "application/json")
            let error = try duplicate.expectError(.badRequest, code: "invalid_json")
            #expect(error.detail.contains(#"duplicate key "action""#), "\(error.detail)")
            #expect(error.detail.contains("at tasks.a"), "\(error.detail)")

            var bytes = Array(#"{"name": "w", "description": "caf"#.utf8)
            bytes += [0xE9]  // Latin-1 é: not UTF-8
            bytes += Array(#"", "tasks": {"a": {"component": "harmonia", "action": "noop"}}}"#.utf8)
            let latin1 = try await client.send(.post, "/api/v1/workflows", bytes: bytes, contentType: "application/json")
            let utf8Error = try latin1.expectError(.badRequest, code: "invalid_json")
            #expect(utf8Error.detail.contains("invalid UTF-8"), "\(utf8Error.detail)")
            #expect(utf8Error.detail.contains("at description"), "\(utf8Error.detail)")

            let list = try await client.send(.get, "/api/v1/workflows")
            #expect(list.status == .ok)
            #expect(!list.text.contains("caf"), "nothing was stored: \(list.text)")
        }
    }

    @Test(arguments: ["a/b/c", "../x", "  ", "%2e%2e", String(repeating: "y", count: 200)])
    func workflowIDsNoPathCanNameAre422(id: String) async throws {
        try await TestServer.with { client, _ in
            let body: JSONValue = ["id": .string(id), "name": "w", "tasks": ["a": ["component": "harmonia", "action": "noop"]]]
            let response = try await client.send(.post, "/api/v1/workflows", json: body)
            let error = try response.expectError(.unprocessableContent, code: "invalid_definition")
            #expect(error.detail.contains("id must be"), "\(error.detail)")
        }
    }

    @Test func pathParametersArePercentDecoded() async throws {
        try await TestServer.with { client, _ in
            var members = Fixtures.noop().objectValue ?? [:]
            members["id"] = "team:flow.v1"
            let body = JSONValue.object(members)
            let created = try await client.createWorkflow(body)
            #expect(created.id == "team:flow.v1")
            for path in ["/api/v1/workflows/team:flow.v1", "/api/v1/workflows/team%3Aflow.v1", "/api/workflows/team%3aflow%2Ev1"] {
                let response = try await client.send(.get, path)
                #expect(response.status == .ok, "\(path): \(response.text)")
            }
            let started = try await client.send(.post, "/api/v1/workflows/team%3Aflow.v1/execute", json: ["input": [:]])
            #expect(started.status == .created, "\(started.text)")
            let bad = try await client.send(.get, "/api/v1/workflows/%E0%A4%A")
            #expect(bad.status.code >= 400 && bad.status.code < 500, "\(bad.text)")
        }
    }

    @Test func aVeryLongIDInExecuteIsAnswered404AtOnce() async throws {
        try await TestServer.with { client, _ in
            let id = String(repeating: "z", count: 6_000)
            let started = ContinuousClock.now
            let response = try await client.send(.post, "/api/v1/workflows/\(id)/execute", json: ["input": [:]])
            #expect(response.status == .notFound, "\(response.text.prefix(200))")
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }

    @Test func aYAMLBodyWhoseAliasesExpandPastTheBodyLimitIs413() async throws {
        // A 1 KiB string repeated through four levels of ten aliases: about 10 MB expanded
        // from well under 2 KiB, as the 112 KiB body that became 477 MiB did.
        var yaml = "name: bomb\nblob: &a0 \"\(String(repeating: "x", count: 1024))\"\n"
        for level in 1...4 {
            yaml += "l\(level): &a\(level) [\(Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", "))]\n"
        }
        yaml += "tasks:\n  a:\n    component: harmonia\n    action: echo\n    input:\n      v: *a4\n"
        let body = yaml
        try await TestServer.with { client, _ in
            let response = try await client.send(.post, "/api/v1/workflows", text: body, contentType: "application/yaml")
            let error = try response.expectError(.contentTooLarge, code: "payload_too_large")
            #expect(error.detail.contains("aliases"), "\(error.detail)")
            #expect(try await client.send(.get, "/ready").status == .ok)
        }
    }

    @Test func aTemplateWhosePlaceholdersRepeatABigValueIs413() async throws {
        let placeholders = JSONValue.array(Array(repeating: "${params.blob}", count: 2_000))
        let template: JSONValue = [
            "name": "amplifier",
            "parameters": ["blob": ["type": "string", "required": true]],
            "definition": [
                "name": "amplified",
                "tasks": ["a": ["component": "harmonia", "action": "echo", "input": ["copies": placeholders]]],
            ],
        ]
        try await TestServer.with { client, _ in
            let created = try await client.data(TemplateView.self, .post, "/api/v1/templates", json: template, expect: .created)
            let values: JSONValue = ["parameter_values": ["blob": .string(String(repeating: "b", count: 100_000))]]
            let response = try await client.send(.post, "/api/v1/templates/\(created.templateID)/instantiate", json: values)
            let error = try response.expectError(.contentTooLarge, code: "payload_too_large")
            #expect(error.path == "parameter_values")
            let small = try await client.send(
                .post, "/api/v1/templates/\(created.templateID)/instantiate", json: ["parameter_values": ["blob": "hi"]])
            #expect(small.status == .created, "\(small.text.prefix(300))")
        }
    }

    @Test func aBacktrackingSchemaPatternCostsMillisecondsAndStallsNothing() async throws {
        let definition: JSONValue = [
            "name": "redos",
            "input_schema": ["type": "object", "properties": ["s": ["type": "string", "pattern": "^(a+)+$"]]],
            "tasks": ["a": ["component": "harmonia", "action": "noop"]],
        ]
        try await TestServer.with { client, _ in
            let workflow = try await client.createWorkflow(definition)
            let other = try await client.createWorkflow(Fixtures.noop())
            let hostile: JSONValue = ["workflow_id": .string(workflow.id), "input": ["s": .string(String(repeating: "a", count: 64) + "!")]]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let response = try await client.send(.post, "/api/v1/executions", json: hostile)
                        let error = try response.expectError(.badRequest, code: "invalid_input")
                        #expect(error.detail.contains("pattern"), "\(error.detail)")
                    }
                }
                group.addTask {
                    _ = try await client.startExecution(other.id)
                }
                try await group.waitForAll()
            }
            // Without the bound, 64 a's and a '!' backtrack for longer than the universe lasts
            // (40 already took 0.75 s of CPU each), so these answers would never come and the
            // suite's time limit would fail the test; with it, each gives up after 50 ms of
            // matching and says so. (No wall-clock bound here: a loaded machine is slow, not wrong.)
            // An ordinary value still matches.
            _ = try await client.startExecution(workflow.id, input: ["s": "aaaa"])
        }
    }

    @Test func outputsThatDoubleFailTheirTaskAndTheServerStaysSmall() async throws {
        var tasks: [String: JSONValue] = ["t0": ["component": "harmonia", "action": "transform", "input": ["value": .string(String(repeating: "x", count: 1024))]]]
        for level in 1...21 {
            let previous = JSONValue.string("${tasks.t\(level - 1).output.result}")
            tasks["t\(level)"] = [
                "component": "harmonia", "action": "transform", "input": ["value": [previous, previous]],
                "depends_on": [.string("t\(level - 1)")],
            ]
        }
        let definition: JSONValue = ["name": "doubling", "tasks": .object(tasks)]
        try await TestServer.with(configure: { $0.engine.maxTaskOutputBytes = 256 * 1024 }) { client, _ in
            let workflow = try await client.createWorkflow(definition)
            let id = try await client.startExecution(workflow.id)
            let detail = try await client.waitForExecution(id)
            #expect(detail.execution.status == .failed)
            let failed = detail.execution.tasks?.values.filter { $0.status == .failed } ?? []
            #expect(failed.map { $0.error?.code } == ["output_too_large"])
            let response = try await client.send(.get, "/api/v1/executions/\(id)")
            #expect(response.body.readableBytes < 1 << 20, "GET /executions/{id} returned \(response.body.readableBytes) bytes")
        }
    }
}

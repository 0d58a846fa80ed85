import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import Hummingbird
import HummingbirdTesting
import Testing

/// Pins the API's JSON: one scripted session against a real server (engine, SQLite) covers
/// every kind of answer — workflows, executions and their events, explain, signals,
/// checkpoints, retry, templates, schedules, components, status and the error body — and
/// each answer must equal its golden file in `Tests/HarmoniaServerTests/Golden/`, keys,
/// nesting, types and values alike. Only what differs from run to run is masked: ids
/// (`<uuid>`), timestamps (`<time>`) and durations.
///
/// A change to the wire format therefore shows up as a diff of these files in review,
/// whether it was meant (regenerate with `HARMONIA_UPDATE_GOLDEN=1 swift test --filter
/// APIGoldenTests` and commit the files) or not (a rename in a Core type that leaked onto
/// the wire). Never regenerated in CI.
@Suite(.timeLimit(.minutes(2)))
struct APIGoldenTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Golden")
    static let updating = ProcessInfo.processInfo.environment["HARMONIA_UPDATE_GOLDEN"] == "1"
        && ProcessInfo.processInfo.environment["CI"] != "true"

    @Test func everyAnswerMatchesItsGoldenFile() async throws {
        let answers = try await TestServer.with { client, _ in try await Self.session(client) }
        var checked = Set<String>()
        for (name, answer) in answers {
            checked.insert(name)
            let file = Self.directory.appendingPathComponent("\(name).json")
            let text = try Self.render(answer)
            if Self.updating {
                try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
                try text.write(to: file, atomically: true, encoding: .utf8)
                continue
            }
            guard let golden = try? String(contentsOf: file, encoding: .utf8) else {
                Issue.record("no golden file \(name).json: run HARMONIA_UPDATE_GOLDEN=1 swift test --filter APIGoldenTests")
                continue
            }
            #expect(golden == text, "the answer \(name) changed:\n--- golden\n\(golden)\n--- now\n\(text)")
        }
        // A golden file nothing answers any more is a shape that silently went away.
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter { $0.hasSuffix(".json") }
        for file in files where !checked.contains(String(file.dropLast(5))) {
            if Self.updating {
                try FileManager.default.removeItem(at: Self.directory.appendingPathComponent(file))
            } else {
                Issue.record("golden file \(file) matches no answer of the session")
            }
        }
    }

    /// The session: each step's answer by name, in order.
    static func session(_ client: any TestClientProtocol) async throws -> [(String, JSONValue)] {
        var answers: [(String, JSONValue)] = []
        func record(_ name: String, _ method: HTTPRequest.Method, _ uri: String, json: JSONValue? = nil, text: String? = nil)
            async throws -> JSONValue
        {
            let response = try await client.send(method, uri, json: json, text: text, contentType: text == nil ? nil : "application/json")
            let body = response.body.readableBytes == 0 ? JSONValue.null : try response.json()
            answers.append((name, ["status": .integer(Int(response.status.code)), "body": body]))
            return body
        }
        let api = "/api/v1"
        _ = try await record("health", .get, "/health")

        // Workflows.
        let chain: JSONValue = [
            "id": "golden-chain", "name": "golden chain", "description": "a → b", "default_input": ["greeting": "hi"],
            "tasks": [
                ["name": "a", "component": "harmonia", "action": "echo", "input": ["message": "${input.greeting}"]],
                [
                    "name": "b", "component": "harmonia", "action": "transform", "input": ["value": "${tasks.a.output.result}"],
                    "depends_on": ["a"], "retry_policy": ["max_retries": 2], "timeout": 30,
                ],
            ],
        ]
        _ = try await record("workflow_create", .post, "\(api)/workflows", json: chain)
        _ = try await record("workflow_get", .get, "\(api)/workflows/golden-chain")
        _ = try await record("workflow_list", .get, "\(api)/workflows?limit=10")

        // An execution from start to end.
        let started = try await record(
            "execution_start", .post, "\(api)/executions",
            json: ["workflow_id": "golden-chain", "input": ["greeting": "hello"], "metadata": ["team": "docs"], "idempotency_key": "golden-1"])
        let id = try #require(started["data"]?["execution_id"]?.stringValue)
        _ = try await client.waitForExecution(id)
        _ = try await record("execution_get", .get, "\(api)/executions/\(id)")
        _ = try await record("execution_list", .get, "\(api)/executions?workflow_id=golden-chain")
        _ = try await record("execution_events", .get, "\(api)/executions/\(id)/events")
        _ = try await record("execution_explain_done", .get, "\(api)/executions/\(id)/explain")
        _ = try await record(
            "execution_start_repeated", .post, "\(api)/executions",
            json: ["workflow_id": "golden-chain", "input": ["greeting": "hello"], "metadata": ["team": "docs"], "idempotency_key": "golden-1"])

        // Errors.
        _ = try await record("error_not_found", .get, "\(api)/executions/no-such-execution")
        _ = try await record("error_invalid_definition", .post, "\(api)/workflows", json: ["name": "bad", "tasks": [["name": "x"]]])
        _ = try await record("error_malformed_json", .post, "\(api)/workflows", text: "{\"name\": ")

        // A signal, waited for and sent.
        let approval: JSONValue = [
            "id": "golden-approval", "name": "golden approval",
            "tasks": [["name": "approve", "component": "harmonia", "action": "wait_for_signal", "input": ["name": "approval"]]],
        ]
        _ = try await client.createWorkflow(approval)
        let waiting = try await client.startExecution("golden-approval")
        _ = try await client.waitForExecution(waiting) { $0.execution.tasks?["approve"]?.status == .running }
        _ = try await record("execution_explain_signal", .get, "\(api)/executions/\(waiting)/explain")
        _ = try await record("signal_send", .post, "\(api)/executions/\(waiting)/signals/approval", json: ["approved": true])
        _ = try await client.waitForExecution(waiting)
        _ = try await record("execution_get_signaled", .get, "\(api)/executions/\(waiting)")

        // Checkpoints of a running execution, then cancel.
        let slow: JSONValue = [
            "id": "golden-slow", "name": "golden slow",
            "tasks": [
                ["name": "nap", "component": "harmonia", "action": "sleep", "input": ["seconds": 600]],
                ["name": "after", "component": "harmonia", "action": "noop", "depends_on": ["nap"]],
            ],
        ]
        _ = try await client.createWorkflow(slow)
        let running = try await client.startExecution("golden-slow")
        _ = try await client.waitForExecution(running) { $0.execution.tasks?["nap"]?.status == .running }
        let checkpoint = try await record("checkpoint_take", .post, "\(api)/executions/\(running)/checkpoint", json: [:])
        let checkpointID = try #require(checkpoint["data"]?["checkpoint_id"]?.stringValue)
        _ = try await record("checkpoint_get", .get, "\(api)/checkpoints/\(checkpointID)")
        _ = try await record("execution_cancel", .post, "\(api)/executions/\(running)/cancel", json: ["reason": "golden"])
        _ = try await record("checkpoint_list", .get, "\(api)/executions/\(running)/checkpoints")

        // A failure, then a re-run from it.
        let failing: JSONValue = [
            "id": "golden-fail", "name": "golden fail",
            "tasks": [
                ["name": "ok", "component": "harmonia", "action": "noop"],
                ["name": "boom", "component": "harmonia", "action": "fail", "input": ["message": "boom", "retryable": false], "depends_on": ["ok"]],
            ],
        ]
        _ = try await client.createWorkflow(failing)
        let failed = try await client.startExecution("golden-fail")
        _ = try await client.waitForExecution(failed)
        _ = try await record("execution_get_failed", .get, "\(api)/executions/\(failed)")
        _ = try await record("execution_retry", .post, "\(api)/executions/\(failed)/retry", json: [:])

        // Templates.
        let template: JSONValue = [
            "name": "golden-greeting", "description": "says hello", "tags": ["golden"],
            "parameters": ["who": ["type": "string", "required": true, "description": "whom to greet"]],
            "definition": [
                "name": "greet ${params.who}",
                "tasks": ["hello": ["component": "harmonia", "action": "echo", "input": ["message": "Hello, ${params.who}!"]]],
            ],
        ]
        let created = try await record("template_create", .post, "\(api)/templates", json: template)
        let templateID = try #require(created["data"]?["id"]?.stringValue)
        _ = try await record("template_get", .get, "\(api)/templates/\(templateID)")
        _ = try await record("template_list", .get, "\(api)/templates?tag=golden")
        _ = try await record("template_instantiate", .post, "\(api)/templates/\(templateID)/instantiate", json: ["parameters": ["who": "Ada"]])

        // Schedules.
        _ = try await record(
            "schedule_create", .post, "\(api)/schedules",
            json: ["id": "golden-nightly", "workflow_id": "golden-chain", "cron": "30 2 * * *", "timezone": "America/New_York"])
        _ = try await record("schedule_pause", .post, "\(api)/schedules/golden-nightly/pause", json: [:])
        _ = try await record("schedule_list", .get, "\(api)/schedules")
        _ = try await record("schedule_runs", .get, "\(api)/schedules/golden-nightly/runs")

        // Components and the engine.
        _ = try await record("components_list", .get, "\(api)/components")
        _ = try await record("component_actions", .get, "\(api)/components/harmonia/actions")
        _ = try await client.waitForExecution(failed)
        return answers
    }

    /// Pretty, key-sorted JSON with the run-dependent values masked.
    static func render(_ answer: JSONValue) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(mask(answer, key: nil).jsonBytes()), options: [.fragmentsAllowed])
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .fragmentsAllowed])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    nonisolated(unsafe) private static let uuid = try! Regex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    nonisolated(unsafe) private static let time = try! Regex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?Z")
    /// Numbers that measure time passing rather than describe the answer.
    private static let durations: Set<String> = ["uptime", "uptime_seconds", "duration_ms", "elapsed_ms", "duration", "seconds_waiting"]

    static func mask(_ value: JSONValue, key: String?) -> JSONValue {
        switch value {
        case .string(let text):
            return .string(text.replacing(uuid, with: "<uuid>").replacing(time, with: "<time>"))
        case .integer, .double:
            if let key, durations.contains(key) { return "<duration>" }
            return value
        case .array(let items):
            return .array(items.map { mask($0, key: key) })
        case .object(let members):
            return .object(members.reduce(into: [:]) { $0[$1.key] = mask($1.value, key: $1.key) })
        case .null, .bool:
            return value
        }
    }
}

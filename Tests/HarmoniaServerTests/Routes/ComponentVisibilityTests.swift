import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import HarmoniaEngine
import HarmoniaPlugins
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HarmoniaServer

/// A plugin that is loaded but whose component nothing enabled (the state `scripts/run.sh`
/// leaves Ergon in without a configuration): it is listed with how to enable it, its direct
/// calls and its tasks fail saying the same, and a reload that finds a new third-party file
/// says it is not enabled rather than answering an empty `components_added` alone.
@Suite(.timeLimit(.minutes(3)))
struct ComponentVisibilityTests {
    @Test func loadedButNotEnabledIsListedWithHowToEnableIt() async throws {
        try await ComponentTestServer.with(plugins: ["libHarmoniaErgon.so"], components: [:]) { client, server in
            let list = try await client.data(ComponentList.self, .get, "/api/v1/components")
            let ergon = try #require(list.component("ergon"), "\(list.components.map(\.name))")
            #expect(!ergon.available)
            #expect(ergon.adapterLoaded)
            #expect(ergon.source == "plugin")
            #expect(ergon.pluginFile == server.pluginDirectory.appendingPathComponent("libHarmoniaErgon.so").path)
            #expect(ergon.actions.contains("execute_command"))
            let reason = try #require(ergon.reason)
            #expect(reason.contains("not enabled"), "\(reason)")
            #expect(reason.contains("components: {ergon:"), "\(reason)")
            #expect(reason.contains("Hermes"), "\(reason)")

            let direct = try await client.send(
                .post, "/api/v1/components/ergon/actions/execute_command", json: ["command": "echo hi"])
            // 404, like an unknown component: it serves nothing in this configuration, and a
            // 503 would tell the client to try again later (the contract test's finding).
            let error = try direct.expectError(.notFound, code: "not_found")
            #expect(error.detail.contains("components: {ergon:"), "\(error.detail)")
        }
    }

    @Test func aTaskForADisabledComponentFailsSayingHowToEnableIt() async throws {
        try await ComponentTestServer.with(plugins: ["libHarmoniaErgon.so"], components: [:]) { client, _ in
            let workflow = try await client.createWorkflow([
                "name": "seed-task1",
                "tasks": ["task1": ["component": "ergon", "action": "execute_command", "input": ["command": "echo Hello World"]]],
            ])
            let detail = try await client.waitForExecution(try await client.startExecution(workflow.id))
            #expect(detail.execution.status == .failed)
            let failure = try #require(detail.execution.tasks?["task1"]?.error)
            #expect(failure.code == "component_unavailable")
            #expect(failure.message.contains("no adapter serves component 'ergon'"), "\(failure.message)")
            #expect(failure.message.contains("components: {ergon:"), "\(failure.message)")
        }
    }

    @Test func enablingTheComponentClearsTheReason() async throws {
        let ergon = ComponentConfiguration(options: ["local_mode": true, "allow_shell": true])
        try await ComponentTestServer.with(plugins: ["libHarmoniaErgon.so"], components: ["ergon": ergon]) { client, server in
            let list = try await client.data(ComponentList.self, .get, "/api/v1/components")
            #expect(list.component("ergon")?.available == true)
            #expect(list.component("ergon")?.reason == nil)
            #expect(server.catalog.registry.disabledComponents.isEmpty)
            #expect(server.catalog.summaryLine().hasPrefix("adapters loaded: ergon; enabled: ergon, harmonia"))
        }
    }

    @Test func reloadOfAThirdPartyFileSaysItIsNotEnabled() async throws {
        try await ComponentTestServer.with(plugins: [], components: [:]) { client, server in
            try ComponentTestServer.install("libHarmoniaEcho.so", into: server.pluginDirectory)
            let response = try await client.send(.post, "/api/v1/components/reload")
            #expect(response.status == .ok)
            let body = try response.json()
            let message = try #require(body["message"]?.stringValue)
            #expect(message.contains("loaded but not enabled: echo"), "\(message)")
            #expect(body["data"]?["components_added"] == [])
            let echo = try #require(
                body["data"]?["catalog"]?["components"]?.arrayValue?.first { $0["name"] == "echo" }, "\(response.text)")
            #expect(echo["available"] == false)
            #expect(echo["reason"]?.stringValue?.contains("components: {echo:") == true, "\(echo)")
            #expect(server.catalog.summaryLine().contains("not enabled: echo"), "\(server.catalog.summaryLine())")
        }
    }
}

/// Create-time checks of the components and actions a workflow names.
struct ComponentReferenceRoutesTests {
    @Test func anUndeclaredActionOfAKnownComponentIs400NamingTaskAndActions() async throws {
        try await TestServer.with { client, _ in
            let response = try await client.send(
                .post, "/api/v1/workflows",
                json: [
                    "name": "typos",
                    "tasks": [
                        "greet": ["component": "harmonia", "action": "ecko"],
                        "fine": ["component": "harmonia", "action": "echo"],
                        "shout": ["component": "Harmonia", "action": "shout"],
                    ],
                ])
            let error = try response.expectError(.badRequest, code: "unknown_action")
            let problems = try #require(error.problems)
            #expect(problems.map(\.path) == ["tasks.greet.action", "tasks.shout.action"])
            #expect(error.detail.contains("task 'greet'"), "\(error.detail)")
            #expect(error.detail.contains("'ecko'") && error.detail.contains("noop, echo, sleep, fail, transform"), "\(error.detail)")
            // Nothing was stored.
            let all = try await client.data(WorkflowList.self, .get, "/api/v1/workflows")
            #expect(all.count == 0)
        }
    }

    @Test func anUnknownComponentIsAcceptedWithAWarning() async throws {
        try await TestServer.with { client, _ in
            let response = try await client.send(
                .post, "/api/v1/workflows",
                json: ["name": "later", "tasks": ["a": ["component": "ergonn", "action": "execute_command"]]])
            #expect(response.status == .created, "\(response.text)")
            let body = try response.json()
            #expect(body["message"] == "workflow created with 1 warning(s)")
            let warnings = try #require(body["data"]?["warnings"]?.arrayValue)
            #expect(warnings.count == 1)
            #expect(warnings.first?["code"] == "unknown_component")
            #expect(warnings.first?["path"] == "tasks.a.component")
            #expect(warnings.first?["message"]?.stringValue?.contains("known: harmonia") == true, "\(warnings)")

            // A read shows the definition only; a clean create has no `warnings` key.
            let id = try #require(body["data"]?["id"]?.stringValue)
            let read = try await client.send(.get, "/api/v1/workflows/\(id)")
            #expect(try read.json()["data"]?["warnings"] == nil)
            let clean = try await client.send(.post, "/api/v1/workflows", json: Fixtures.chain)
            #expect(try clean.json()["data"]?["warnings"] == nil)
        }
    }

    @Test func replaceAndInstantiateAreCheckedToo() async throws {
        try await TestServer.with { client, _ in
            let workflow = try await client.createWorkflow(Fixtures.chain)
            let replaced = try await client.send(
                .put, "/api/v1/workflows/\(workflow.id)",
                json: ["name": "chain", "tasks": ["a": ["component": "harmonia", "action": "nope"]]])
            try replaced.expectError(.badRequest, code: "unknown_action")
            let template = try await client.send(
                .post, "/api/v1/templates",
                json: [
                    "name": "t", "parameters": ["verb": ["type": "string", "default": "echo"]],
                    "definition": ["name": "t", "tasks": ["a": ["component": "harmonia", "action": "${params.verb}"]]],
                ])
            #expect(template.status == .created, "\(template.text)")
            let templateID = try #require(try template.json()["data"]?["id"]?.stringValue ?? template.json()["data"]?["template_id"]?.stringValue)
            let instantiated = try await client.send(
                .post, "/api/v1/templates/\(templateID)/instantiate", json: ["parameter_values": ["verb": "shout"]])
            try instantiated.expectError(.badRequest, code: "unknown_action")
            let good = try await client.send(
                .post, "/api/v1/templates/\(templateID)/instantiate", json: ["parameter_values": ["verb": "echo"]])
            #expect(good.status == .created, "\(good.text)")
        }
    }
}

/// The check itself, on every kind of knowledge.
struct ComponentReferenceCheckTests {
    static let check = ComponentReferenceCheck(
        lookup: { name in
            switch name {
            case "harmonia": .available(actions: ["echo", "noop"])
            case "ergon": .unavailable(actions: ["execute_command"], reason: "not enabled")
            case "opaque": .available(actions: [])
            default: .unknown
            }
        },
        known: ["ergon", "harmonia", "opaque"])

    static func definition(_ tasks: [(String, String, String)]) -> WorkflowDefinition {
        WorkflowDefinition(
            id: "w", name: "w", tasks: tasks.map { TaskDefinition(id: $0.0, component: $0.1, action: $0.2) })
    }

    @Test func declaredActionsPass() throws {
        #expect(try Self.check.check(Self.definition([("a", "harmonia", "echo"), ("b", "opaque", "anything")])).isEmpty)
    }

    @Test func unavailableComponentWarnsButStillChecksItsActions() throws {
        let warnings = try Self.check.check(Self.definition([("a", "ergon", "execute_command")]))
        #expect(warnings.map(\.code) == ["component_unavailable"])
        #expect(warnings.first?.message.contains("not enabled") == true)
        #expect(throws: HarmoniaError(.unknownAction, "")) {
            try Self.check.check(Self.definition([("a", "ergon", "execute")]))
        }
    }

    @Test func unknownComponentWarnsWithTheKnownOnes() throws {
        let warnings = try Self.check.check(Self.definition([("a", "ecko", "x"), ("b", "harmonia", "noop")]))
        #expect(warnings.count == 1)
        #expect(warnings.first?.path == "tasks.a.component")
        #expect(warnings.first?.message.contains("known: ergon, harmonia, opaque") == true)
    }

    @Test func everyUndeclaredActionIsListed() throws {
        do {
            _ = try Self.check.check(Self.definition([("a", "harmonia", "x"), ("b", "harmonia", "echo"), ("c", "HARMONIA", "y")]))
            Issue.record("expected unknown_action")
        } catch let error as HarmoniaError {
            #expect(error.code == .unknownAction)
            #expect(error.problems.map(\.path) == ["tasks.a.action", "tasks.c.action"])
            #expect(error.message == "task 'a': component 'harmonia' has no action 'x' (known actions: echo, noop)")
        }
    }
}

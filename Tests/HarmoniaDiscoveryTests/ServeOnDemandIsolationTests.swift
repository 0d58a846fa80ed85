import Foundation
import HarmoniaCore
import HarmoniaSpawn
import HarmoniaTestSupport
import NIOHTTP1
import Testing

/// The real `harmonia serve --hermes-url` with a third-party C adapter (the fault-injecting
/// one) in its plugin directory, opened on demand when the Hermes double lists `faults`.
///
/// Under the default `auto` isolation it runs in a plugin host child: a segfault in it
/// fails only its own task, as retryable `component_crashed` naming the signal; the retry
/// succeeds once the host has restarted; a concurrent workflow on another component
/// completes untouched; the server stays up; `GET /components` shows `isolation: process`
/// and the host's state. With `isolation: in_process` set explicitly it stays in the server.
@Suite(.timeLimit(.minutes(3)))
struct ServeOnDemandIsolationTests {
    /// A plugin directory holding `libfaults.so`, a configuration (`extra` appended), the
    /// `/health` the Hermes-listed component must answer, and a Hermes double listing it.
    func withServer(
        configuration extra: String = "",
        _ body: (HarmoniaSubprocess, ServeOnDemandTests.API) async throws -> Void
    ) async throws {
        let plugins = try PluginDirectory(libraries: [])
        defer { plugins.remove() }
        try await FaultAdapter.build(into: plugins.url)
        let root = plugins.url.deletingLastPathComponent()
        let configuration = root.appendingPathComponent("harmonia.yaml")
        try """
        plugins:
          directories: ["\(plugins.path)"]
        \(extra)
        """.write(to: configuration, atomically: true, encoding: .utf8)
        let health = EngramDouble(name: "faults")
        try await health.start()
        do {
            try await withHermes { hermes in
                hermes.registerComponent(name: "faults", endpoint: health.url)
                let server = try HarmoniaSubprocess(
                    arguments: [
                        "serve", "--port", "0", "--data-dir", root.appendingPathComponent("data").path,
                        "--config", configuration.path, "--hermes-url", hermes.url,
                    ],
                    environment: ["HARMONIA_HERMES_POLL_INTERVAL": "0.05"])
                defer { server.kill() }
                await eventually("the server listens") { server.port != nil || !server.isRunning }
                let api = ServeOnDemandTests.API(port: try #require(server.port, "harmonia serve did not start"))
                try await eventually("faults is served") {
                    ServeOnDemandTests.component("faults", in: try await api.send(.GET, "/api/v1/components"))?["available"] == true
                }
                try await body(server, api)
                server.terminate()
                await eventually("the server exits") { !server.isRunning }
                #expect(server.exitStatus == 0)
            }
        } catch {
            await health.stop()
            throw error
        }
        await health.stop()
    }

    func run(_ api: ServeOnDemandTests.API, _ tasks: JSONValue, name: String) async throws -> String {
        let workflow = try await api.send(.POST, "/api/v1/workflows", ["name": .string(name), "tasks": tasks])
        let workflowID = try #require(workflow["id"]?.stringValue)
        return try #require(try await api.send(.POST, "/api/v1/workflows/\(workflowID)/execute", [:])["id"]?.stringValue)
    }

    func ended(_ api: ServeOnDemandTests.API, _ id: String) async throws -> JSONValue {
        var execution: JSONValue = .null
        try await eventually("execution \(id) ends", timeout: .seconds(90)) {
            execution = try await api.send(.GET, "/api/v1/executions/\(id)")["execution"] ?? .null
            return ["completed", "failed", "canceled"].contains(execution["status"]?.stringValue ?? "")
        }
        return execution
    }

    @Test func underAutoACrashingAdapterOpenedOnDemandFailsOnlyItsOwnTaskRetryably() async throws {
        try await withServer { server, api in
            let listed = try #require(ServeOnDemandTests.component("faults", in: try await api.send(.GET, "/api/v1/components")))
            #expect(listed["isolation"] == "process", "\(listed.jsonString())")
            #expect(listed["host_state"] == "running", "\(listed.jsonString())")
            #expect(FaultAdapter.pluginHosts(of: server.process.pid).count == 1, "one plugin host child serves faults")
            let builtin = ServeOnDemandTests.component("harmonia", in: try await api.send(.GET, "/api/v1/components"))
            #expect(builtin?["isolation"] == nil, "no isolation for the built-in component")

            let steady = try await run(
                api, [["name": "s", "component": "harmonia", "action": "sleep", "input": ["seconds": 2]]], name: "steady")
            let crashy = try await run(
                api,
                [
                    [
                        "name": "c", "component": "faults", "action": "crash", "input": ["how": "segv", "crash_attempts": 1],
                        "retry_policy": ["max_retries": 3, "initial_delay": 0.05, "max_delay": 0.1],
                    ]
                ], name: "crashy")
            let crashed = try await ended(api, crashy)
            #expect(crashed["status"] == "completed", "\(crashed.jsonString())")
            #expect(crashed["tasks"]?["c"]?["attempt"] == 2, "\(crashed.jsonString())")
            #expect(crashed["tasks"]?["c"]?["output"]?["attempt"] == 2)
            let events = try await api.send(.GET, "/api/v1/executions/\(crashy)/events").jsonString()
            #expect(events.contains("component_crashed"), "\(events)")
            #expect(events.contains("signal 11"), "\(events)")
            #expect(!events.contains("component_unavailable"), "\(events)")
            let untouched = try await ended(api, steady)
            #expect(untouched["status"] == "completed" && untouched["tasks"]?["s"]?["attempt"] == 1, "\(untouched.jsonString())")
            #expect(server.isRunning, "the server survives its adapter's crash")
            let after = try #require(ServeOnDemandTests.component("faults", in: try await api.send(.GET, "/api/v1/components")))
            #expect(after["available"] == true && after["host_state"] == "running", "\(after.jsonString())")
        }
    }

    @Test func inProcessSetExplicitlyStaysInTheServer() async throws {
        try await withServer(configuration: "components:\n  faults: {isolation: in_process}") { server, api in
            let listed = try #require(ServeOnDemandTests.component("faults", in: try await api.send(.GET, "/api/v1/components")))
            #expect(listed["isolation"] == "in_process", "\(listed.jsonString())")
            #expect(listed["host_state"] == nil, "\(listed.jsonString())")
            #expect(FaultAdapter.pluginHosts(of: server.process.pid).isEmpty, "no plugin host child")
            let result = try await api.send(.POST, "/api/v1/components/faults/actions/flaky", ["fail_attempts": 0])
            #expect(result.jsonString().contains("attempt"), "\(result.jsonString())")
        }
    }
}

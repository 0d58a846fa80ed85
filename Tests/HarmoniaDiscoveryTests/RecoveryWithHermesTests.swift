import Foundation
import HarmoniaCore
import HarmoniaTestSupport
import NIOHTTP1
import Testing

/// Crash recovery with Hermes: after a `kill -9`, the restarted server recovers before
/// discovery has listed the plugin components its running tasks used. Those tasks go
/// `waiting` (never `failed` with `component_unavailable`) and run once Hermes lists the
/// component again (issue "adapters can't take Harmonia down", build item 1).
@Suite(.timeLimit(.minutes(3)))
struct RecoveryWithHermesTests {
    static let executionCount = 10

    @Test func recoveredPluginTasksWaitForDiscoveryThenComplete() async throws {
        let plugins = try PluginDirectory(libraries: ["libHarmoniaEcho.so"])
        defer { plugins.remove() }
        let root = plugins.url.deletingLastPathComponent()
        let configuration = root.appendingPathComponent("harmonia.yaml")
        try """
        plugins:
          directories: ["\(plugins.path)"]
        """.write(to: configuration, atomically: true, encoding: .utf8)
        // Echo runs in the plugin, but a component Hermes lists is served only while its own
        // /health answers: a double answers it at the endpoint echo registers.
        let echoHealth = EngramDouble(name: "echo")
        try await echoHealth.start()
        do {
            try await run(echoHealth: echoHealth, plugins: plugins, root: root, configuration: configuration)
        } catch {
            await echoHealth.stop()
            throw error
        }
        await echoHealth.stop()
    }

    func run(echoHealth: EngramDouble, plugins: PluginDirectory, root: URL, configuration: URL) async throws {
        try await withHermes { hermes in
            func serve() async throws -> (HarmoniaSubprocess, ServeOnDemandTests.API) {
                let server = try HarmoniaSubprocess(
                    arguments: [
                        "serve", "--port", "0", "--data-dir", root.appendingPathComponent("data").path,
                        "--config", configuration.path, "--hermes-url", hermes.url,
                    ],
                    environment: ["HARMONIA_HERMES_POLL_INTERVAL": "0.05"])
                await eventually("the server listens") { server.port != nil || !server.isRunning }
                return (server, ServeOnDemandTests.API(port: try #require(server.port, "harmonia serve did not start")))
            }

            // First life: Hermes lists echo; every execution's echo.sleep is running at the kill.
            let echoID = hermes.registerComponent(name: "echo", endpoint: echoHealth.url)
            let (first, api) = try await serve()
            defer { first.kill() }
            try await eventually("echo is served") {
                ServeOnDemandTests.component("echo", in: try await api.send(.GET, "/api/v1/components"))?["available"] == true
            }
            let workflow = try await api.send(
                .POST, "/api/v1/workflows",
                [
                    "name": "nap-then-transform",
                    "tasks": [
                        // Long enough that every nap is still running when the last of the
                        // ten starts is seen running, on a machine busy with the whole suite
                        // (8 s was not); the recovered naps sleep again after the restart.
                        ["name": "nap", "component": "echo", "action": "sleep", "input": ["seconds": 30]],
                        [
                            "name": "after", "component": "harmonia", "action": "transform", "depends_on": ["nap"],
                            "input": ["value": "done"],
                        ],
                    ],
                ])
            let workflowID = try #require(workflow["id"]?.stringValue)
            var ids: [String] = []
            for _ in 0..<Self.executionCount {
                ids.append(try #require(try await api.send(.POST, "/api/v1/workflows/\(workflowID)/execute", [:])["id"]?.stringValue))
            }
            for id in ids {
                try await eventually("\(id)'s nap runs") {
                    try await api.send(.GET, "/api/v1/executions/\(id)")["execution"]?["tasks"]?["nap"]?["status"] == "running"
                }
            }
            first.kill()
            await eventually("the first server is gone") { !first.isRunning }

            // Second life: Hermes does not list echo (yet). The recovered naps wait for it.
            hermes.unregisterComponent(id: echoID)
            let (second, again) = try await serve()
            defer { second.kill() }
            for id in ids {
                var execution: JSONValue = .null
                try await eventually("\(id)'s nap waits for echo") {
                    execution = try await again.send(.GET, "/api/v1/executions/\(id)")["execution"] ?? .null
                    return execution["tasks"]?["nap"]?["status"] == "waiting" || execution["status"] != "running"
                }
                #expect(execution["status"] == "running", "\(id): \(execution.jsonString())")
                #expect(execution["tasks"]?["nap"]?["status"] == "waiting", "\(id): \(execution.jsonString())")
            }

            // Hermes lists echo again: every nap is dispatched again and every execution completes.
            hermes.registerComponent(name: "echo", endpoint: echoHealth.url)
            for id in ids {
                var execution: JSONValue = .null
                try await eventually("\(id) ends") {
                    execution = try await again.send(.GET, "/api/v1/executions/\(id)")["execution"] ?? .null
                    return execution["status"] != "running"
                }
                #expect(execution["status"] == "completed", "\(id): \(execution.jsonString())")
                #expect(execution["tasks"]?["after"]?["output"]?["result"] == "done")
                let events = try await again.send(.GET, "/api/v1/executions/\(id)/events")
                #expect(!events.jsonString().contains("task_failed"), "\(id): \(events.jsonString())")
                #expect(!events.jsonString().contains("component_unavailable"), "\(id): \(events.jsonString())")
            }
            second.terminate()
            await eventually("the second server exits") { !second.isRunning }
        }
    }
}

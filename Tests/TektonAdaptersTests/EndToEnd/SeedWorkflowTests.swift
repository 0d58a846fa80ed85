import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaPluginKit
import HarmoniaPlugins
import Testing

/// The adapters end to end, as the server runs them: loaded from their `.so` files by the
/// plugin loader, called by the real engine on SQLite, with HTTP through the host's client
/// over loopback to the doubles.
@Suite(.timeLimit(.minutes(2)))
struct SeedWorkflowTests {
    /// The README's seed example: Ergon runs a command, Prometheus analyses its output.
    static func seed(command: String = "echo Hello World", second: TaskDefinition? = nil) -> WorkflowDefinition {
        WorkflowDefinition(
            name: "seed-example",
            tasks: [
                TaskDefinition(id: "task1", component: "ergon", action: "execute_command", input: ["command": .string(command)]),
                second
                    ?? TaskDefinition(
                        id: "task2", component: "prometheus", action: "analyze_results",
                        input: ["results": "${tasks.task1.output.result}"], dependsOn: ["task1"]),
            ])
    }

    /// Runs `body` with an engine whose registry holds the plugins of `components`.
    static func withEngine<T: Sendable>(
        _ components: [String: ComponentConfiguration], _ body: (TektonEngine) async throws -> T
    ) async throws -> T {
        let plugins = try TektonPlugins(components)
        defer { plugins.cleanUp() }
        return try await TektonEngine(registry: plugins.registry).run(body)
    }

    static func retrying(_ retries: Int) -> RetryPolicy {
        RetryPolicy(maxRetries: retries, initialDelay: 0.02, maxDelay: 0.1, backoffMultiplier: 2, jitter: 0)
    }

    /// With and without a final newline: `printf` prints the exit marker on its last line.
    @Test(arguments: ["echo Hello World", "printf 'Hello World'"])
    func seedExampleCompletesAgainstTheDoubles(command: String) async throws {
        let ergon = ErgonDouble()
        let prometheus = PrometheusDouble()
        try await ergon.serve { ergonURL in
            try await prometheus.serve { prometheusURL in
                try await Self.withEngine([
                    "ergon": ComponentConfiguration(endpoint: ergonURL), "prometheus": ComponentConfiguration(endpoint: prometheusURL),
                ]) { h in
                    let id = try await h.start(Self.seed(command: command))
                    let done = try await h.finished(id)
                    #expect(done.record.status == .completed)
                    #expect(done.tasks["task1"]?.output?["result"] == "Hello World")
                    #expect(done.tasks["task1"]?.output?["exit_code"] == 0)
                    #expect(done.tasks["task2"]?.output?["content_summary"] == "Hello World")
                    // "Hello World" reached Prometheus through ${tasks.task1.output.result}.
                    #expect(prometheus.analyzedContents == ["Hello World"])
                    #expect(ergon.liveSandboxes == 0)
                    #expect(ergon.liveUnits == 0)
                }
            }
        }
    }

    @Test func withLocalModeTask1RunsWithNoTektonComponentAnywhere() async throws {
        // Nothing listens on port 1: any request to "Ergon" would fail the task.
        try await Self.withEngine(["ergon": ComponentConfiguration(endpoint: "http://127.0.0.1:1", options: ["local_mode": true])]) { h in
            let id = try await h.start(
                Self.seed(
                    second: TaskDefinition(
                        id: "task2", component: "harmonia", action: "echo", input: ["message": "${tasks.task1.output.result}"],
                        dependsOn: ["task1"])))
            let done = try await h.finished(id)
            #expect(done.record.status == .completed)
            #expect(done.tasks["task1"]?.output?["result"] == "Hello World")
            #expect(done.tasks["task1"]?.output?["mode"] == "local")
            #expect(done.tasks["task2"]?.output?["result"] == "Hello World")
        }
    }

    @Test func aNonZeroExitFailsTheTaskWithTheMarkersCode() async throws {
        let ergon = ErgonDouble()
        ergon.script("make test", .init(stdout: ["1 failed"], status: 3))
        try await ergon.serve { url in
            try await Self.withEngine(["ergon": ComponentConfiguration(endpoint: url)]) { h in
                let id = try await h.start(Self.seed(command: "make test"))
                let done = try await h.finished(id)
                #expect(done.record.status == .failed)
                #expect(done.tasks["task1"]?.error?.code == "command_failed")
                #expect(done.tasks["task1"]?.error?.details?["exit_code"] == 3)
                #expect(done.tasks["task2"]?.status == .skipped)
                // Nothing of the failed run stays on Ergon, and each DELETE was made once.
                #expect(ergon.liveSandboxes == 0)
                #expect(ergon.liveUnits == 0)
                #expect(ergon.calls.routes.filter { $0.hasPrefix("DELETE /api/ergon/sandbox/") }.count == 1)
                #expect(ergon.calls.routes.filter { $0.hasPrefix("DELETE /api/ergon/registry/") }.count == 1)
            }
        }
    }

    @Test func theTaskTimeoutEndsAHangingErgonExecute() async throws {
        let ergon = ErgonDouble()
        ergon.script("sleep 600", .init())
        ergon.holdExecution(true)
        try await ergon.serve { url in
            try await Self.withEngine(["ergon": ComponentConfiguration(endpoint: url)]) { h in
                let id = try await h.start(
                    WorkflowDefinition(
                        name: "hang",
                        tasks: [
                            // 20 s: the adapter stops at 15 s (it keeps up to 5 s for the
                            // cleanup), well before the host's deadline even when two suites
                            // load the machine (with 6 s the margin was 1.2 s, and a late
                            // timer let the host's deadline end the call first).
                            TaskDefinition(id: "run", component: "ergon", action: "execute_command", input: ["command": "sleep 600"], timeout: 20)
                        ]))
                let done = try await h.finished(id)
                #expect(ergon.executeStreamsEnded == 0, "the task's timeout, not the end of the stream, ended the call")
                ergon.holdExecution(false)
                #expect(done.record.status == .failed)
                #expect(done.tasks["run"]?.error?.code == "timeout")
                // The sandbox is still deleted, through the host, after the call ended: the
                // adapter keeps 20 % of the task's time for that, and a DELETE the deadline cut
                // short is made again in the cleanup window.
                try await waitUntil { ergon.deletedSandboxes.count == 1 }
            }
        }
    }

    @Test func rhetorNotInitializedIsRetriedByTheEngineThenSucceeds() async throws {
        let rhetor = RhetorDouble()
        rhetor.notInitialized(for: 2)
        try await rhetor.serve { url in
            try await Self.withEngine(["rhetor": ComponentConfiguration(endpoint: url)]) { h in
                let id = try await h.start(
                    WorkflowDefinition(
                        name: "ask",
                        tasks: [
                            TaskDefinition(
                                id: "ask", component: "rhetor", action: "generate", input: ["prompt": "Hello"],
                                retryPolicy: Self.retrying(3))
                        ]))
                let done = try await h.finished(id)
                #expect(done.record.status == .completed)
                #expect(done.tasks["ask"]?.output?["result"] == "Generated: Hello")
                #expect(done.tasks["ask"]?.attempt == 3)
                let retries = try await h.events(id).filter { $0.type == .retryAttempted }
                #expect(retries.count == 2)
                #expect(rhetor.calls.count("POST /api/v1/generate") == 3)
            }
        }
    }

    @Test func aRouteThatIsNotServedIsNotRetried() async throws {
        // Prometheus' double serves none of Rhetor's routes: 404 {"detail": "Not Found"}.
        let prometheus = PrometheusDouble()
        try await prometheus.serve { url in
            try await Self.withEngine(["rhetor": ComponentConfiguration(endpoint: url)]) { h in
                let id = try await h.start(
                    WorkflowDefinition(
                        name: "ask",
                        tasks: [
                            TaskDefinition(
                                id: "ask", component: "rhetor", action: "generate", input: ["prompt": "Hello"],
                                retryPolicy: Self.retrying(3))
                        ]))
                let done = try await h.finished(id)
                #expect(done.record.status == .failed)
                #expect(done.tasks["ask"]?.error?.code == "route_unavailable")
                #expect(done.tasks["ask"]?.error?.details?["http_status"] == 404)
                #expect(try await h.events(id).filter { $0.type == .retryAttempted }.isEmpty)
                #expect(prometheus.calls.count("POST /api/v1/generate") == 1)
            }
        }
    }

    @Test func synthesisHTTP200ErrorFailsTheTask() async throws {
        let synthesis = SynthesisDouble()
        synthesis.failCreation(with: "no executor for step type")
        try await synthesis.serve { url in
            try await Self.withEngine(["synthesis": ComponentConfiguration(endpoint: url, options: ["poll_interval": 0.01])]) { h in
                let id = try await h.start(
                    WorkflowDefinition(
                        name: "plan",
                        tasks: [
                            TaskDefinition(
                                id: "run", component: "synthesis", action: "execute_command", input: ["command": "echo hi"],
                                retryPolicy: Self.retrying(2))
                        ]))
                let done = try await h.finished(id)
                #expect(done.record.status == .failed)
                #expect(done.tasks["run"]?.error?.code == "component_error")
                #expect(synthesis.calls.count("POST /api/v1/executions") == 1)
            }
        }
    }

    @Test func aSynthesisExecutionCanceledOnSynthesisFailsTheTaskWithExecutionFailed() async throws {
        let synthesis = SynthesisDouble()
        synthesis.finish(afterPolls: nil)
        try await synthesis.serve { url in
            try await Self.withEngine(["synthesis": ComponentConfiguration(endpoint: url, options: ["poll_interval": 0.02])]) { h in
                let id = try await h.start(
                    WorkflowDefinition(
                        name: "plan",
                        tasks: [TaskDefinition(id: "run", component: "synthesis", action: "execute_command", input: ["command": "echo hi"])]))
                try await waitUntil { synthesis.status(of: "\(id):run") == "in_progress" }
                // Someone cancels the execution on Synthesis itself; its /results then answers
                // 200 {"status": "error", "message": "Results not found…"}.
                _ = try await LoopbackHost.perform(.init(method: "POST", url: url + "/api/v1/executions/\(id):run/cancel"))
                let done = try await h.finished(id)
                #expect(done.record.status == .failed)
                #expect(done.tasks["run"]?.error?.code == "execution_failed")
                #expect(done.tasks["run"]?.error?.details?["status"] == "cancelled")
            }
        }
    }

    @Test func theTaskTimeoutEndsSynthesisPolling() async throws {
        let synthesis = SynthesisDouble()
        synthesis.finish(afterPolls: nil)
        try await synthesis.serve { url in
            try await Self.withEngine(["synthesis": ComponentConfiguration(endpoint: url, options: ["poll_interval": 0.01])]) { h in
                let id = try await h.start(
                    WorkflowDefinition(
                        name: "slow",
                        tasks: [
                            TaskDefinition(id: "run", component: "synthesis", action: "execute_command", input: ["command": "echo hi"], timeout: 0.5)
                        ]))
                let done = try await h.finished(id)
                #expect(done.record.status == .failed)
                #expect(done.tasks["run"]?.error?.code == "timeout")
                try await waitUntil { h.engine.status.inFlightTasks == 0 }
                let pollingStopped = try await expectNoMoreRequests(to: url) { synthesis.calls.count("GET /api/v1/executions/\(id):run") }
                #expect(pollingStopped)
            }
        }
    }
}

import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaPlugins
import Testing

/// C and Swift plugins driven by the real engine on SQLite, the way a workflow runs them.
@Suite(.timeLimit(.minutes(2)))
struct PluginEngineTests {
    func environment() async throws -> (PluginTestBed, EngineHarness) {
        let bed = try PluginTestBed(cancelGrace: .milliseconds(200))
        try await PluginFixtures.buildExample(into: bed.directory)
        try PluginFixtures.install(try PluginFixtures.echoLibrary(), into: bed.directory)
        bed.manager.reload()
        return (bed, try await EngineHarness(registry: bed.registry))
    }

    @Test func aWorkflowFlowsThroughTheCAndTheSwiftAdapter() async throws {
        let (bed, h) = try await environment()
        defer { bed.cleanUp(); h.cleanUp() }
        try await h.run { h in
            let id = try await h.start(
                WorkflowDefinition(
                    name: "plugins",
                    tasks: [
                        TaskDefinition(id: "shout", component: "example", action: "upper", input: ["text": "${input.word}"]),
                        TaskDefinition(
                            id: "say", component: "echo", action: "echo", input: ["message": "${tasks.shout.output.result} World"],
                            dependsOn: ["shout"]),
                    ]),
                input: ["word": "hello"])
            let done = try await h.finished(id)
            #expect(done.record.status == .completed)
            #expect(done.tasks["shout"]?.output == ["result": "HELLO"])
            #expect(done.tasks["say"]?.output?["result"] == "HELLO World")
            let events = try await h.events(id)
            #expect(events.contains { $0.type == .custom })  // echo's progress
        }
    }

    @Test func misbehavingPluginsFailTheirTasksAndTheEngineGoesOn() async throws {
        let (bed, h) = try await environment()
        defer { bed.cleanUp(); h.cleanUp() }
        try await h.run { h in
            let noRetry = RetryPolicy(maxRetries: 0)
            let id = try await h.start(
                WorkflowDefinition(
                    name: "bad",
                    tasks: [
                        TaskDefinition(id: "json", component: "example", action: "badjson", retryPolicy: noRetry),
                        TaskDefinition(id: "hang", component: "example", action: "never", retryPolicy: noRetry, timeout: 0.3),
                        TaskDefinition(id: "twice", component: "example", action: "twice", retryPolicy: noRetry),
                    ]))
            let done = try await h.finished(id)
            #expect(done.record.status == .failed)
            #expect(done.tasks["json"]?.error?.code == "invalid_plugin_output")
            #expect(done.tasks["hang"]?.error?.code == "timeout")
            // The engine's timer and the call's deadline race at 0.3 s; either way one story.
            #expect(done.tasks["hang"]?.error?.message.hasPrefix("task 'hang' timed out after 0.3 s") == true)
            #expect(try await h.events(id).filter { $0.type == .timeoutOccurred && $0.taskID == "hang" }.count == 1)
            #expect(done.tasks["twice"]?.status == .completed)
            #expect(done.tasks["twice"]?.output == ["result": "first"])

            let after = try await h.start(
                WorkflowDefinition(name: "after", tasks: [TaskDefinition(id: "ok", component: "example", action: "noop")]))
            #expect(try await h.finished(after).record.status == .completed)
        }
    }
}

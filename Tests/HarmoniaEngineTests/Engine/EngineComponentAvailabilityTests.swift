import Foundation
import HarmoniaCore
import HarmoniaEngine
import Testing

/// Serves the built-in actions under another component name, standing in for a component
/// that comes and goes (a real adapter, not a mock: it runs the built-in actions).
struct RenamedAdapter: ComponentAdapter {
    let component: String
    let base = BuiltinAdapter()
    var actions: [ActionDescriptor] { base.actions }
    func invoke(_ invocation: Invocation) async -> InvocationResult { await base.invoke(invocation) }
}

@Suite(.timeLimit(.minutes(1)))
struct EngineComponentAvailabilityTests {
    @Test func taskWaitsForAnUnavailableComponentAndContinuesWhenItReturns() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        h.engine.adapters.markUnavailable(component: "engram", reason: "engram is not registered with Hermes")
        try await h.run { h in
            let wf = try await h.save(
                WorkflowDefinition(name: "memory", tasks: [TaskDefinition(id: "remember", component: "engram", action: "echo", input: ["message": "hi"])]))
            let id = try await h.start(wf)
            let waiting = try await h.waitFor(id) { $0.tasks["remember"]?.status == .waiting }
            #expect(waiting.tasks["remember"]?.reason == "engram is not registered with Hermes")
            #expect(waiting.record.status == .running)
            h.engine.adapters.register(RenamedAdapter(component: "engram"))
            let done = try await h.waitFor(id)
            #expect(done.record.status == .completed)
            #expect(done.tasks["remember"]?.output?["result"] == "hi")
        }
    }

    @Test func waitEndsWithTheTaskTimeout() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        h.engine.adapters.markUnavailable(component: "engram", reason: "down")
        try await h.run { h in
            let wf = try await h.save(
                WorkflowDefinition(name: "memory", tasks: [TaskDefinition(id: "remember", component: "engram", action: "noop", timeout: 0.1)]))
            let done = try await h.waitFor(try await h.start(wf))
            #expect(done.record.status == .failed)
            #expect(done.tasks["remember"]?.error?.code == "component_unavailable")
        }
    }

    @Test func unknownComponentStillFailsAtOnce() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(WorkflowDefinition(name: "x", tasks: [TaskDefinition(id: "t", component: "nobody", action: "noop")]))
            let done = try await h.waitFor(try await h.start(wf))
            #expect(done.tasks["t"]?.error?.code == "component_unavailable")
        }
    }
}

import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaTestSupport
import Synchronization
import Testing

/// Map tasks on a real engine and a real SQLite file: 10,000 instances, the concurrency
/// bound, a restart in the middle of a map, and re-running a failed map.
@Suite(.timeLimit(.minutes(3)))
struct EngineMapTests {
    /// `fan` maps `action` of `component` over `items`; `after` reads its output.
    func mapWorkflow(items: JSONValue, component: String = "harmonia", action: String = "noop", limit: Int? = nil) -> WorkflowDefinition {
        WorkflowDefinition(
            name: "map",
            tasks: [
                TaskDefinition(id: "src", component: "harmonia", action: "transform", input: ["value": ["items": items]]),
                TaskDefinition(
                    id: "fan", component: component, action: action, input: ["value": "${item}", "i": "${index}"],
                    forEach: "${tasks.src.output.result.items}", maxConcurrency: limit),
                TaskDefinition(id: "after", component: "harmonia", action: "noop", input: ["n": "${tasks.fan.output}"]),
            ])
    }

    @Test("10,000 items of a built-in noop complete; every instance is stored completed once")
    func tenThousandItems() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(mapWorkflow(items: .array((0..<10_000).map { .integer($0) }), limit: 100))
            let id = try await h.start(wf)
            let done = try await h.waitFor(id, timeout: 150)
            #expect(done.record.status == .completed)
            #expect(done.tasks["fan"]?.output?.arrayValue?.count == 10_000)
            let instances = done.instances["fan"] ?? []
            #expect(instances.count == 10_000)
            #expect(instances.allSatisfy { $0.status == .completed && $0.attempt == 1 })
            #expect(instances.map(\.index) == Array(0..<10_000))
            let events = try await h.events(id)
            expectWellFormedLog(events)
            #expect(events.filter { $0.type == .taskInstanceCompleted }.count == 10_000)
        }
    }

    @Test("max_concurrency holds: never more instances in flight than the limit")
    func concurrencyBoundHeld() async throws {
        let gauge = GaugeAdapter()
        let h = try await EngineHarness(adapters: [BuiltinAdapter(), gauge])
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(mapWorkflow(items: .array((0..<200).map { .integer($0) }), component: "gauge", action: "step", limit: 7))
            let id = try await h.start(wf)
            let done = try await h.waitFor(id)
            #expect(done.record.status == .completed)
            #expect(gauge.calls == 200)
            #expect(gauge.peak <= 7)
            #expect(gauge.peak >= 2, "the map ran instances side by side")
            #expect(done.tasks["fan"]?.output?.arrayValue?.first == ["value": 0, "i": 0])
            #expect(done.tasks["fan"]?.output?.arrayValue?.last == ["value": 199, "i": 199])
        }
    }

    @Test("a restart in the middle of a map re-dispatches only the unfinished instances, attempt raised")
    func restartMidMap() async throws {
        let before = CountingAdapter()
        before.hold("fan[3]")
        before.hold("fan[4]")
        let first = try await EngineHarness(adapters: [BuiltinAdapter(), before])
        defer { first.cleanUp() }
        let (id, wf) = try await first.run { h in
            let wf = try await h.save(mapWorkflow(items: ["a", "b", "c", "d", "e"], component: "counted", action: "step"))
            let id = try await h.start(wf)
            try await h.waitFor(id) { state in
                let instances = state.instances["fan"] ?? []
                return instances.count == 5 && instances.prefix(3).allSatisfy { $0.status == .completed }
                    && instances.suffix(2).allSatisfy { $0.status == .running }
            }
            return (id, wf)
        }
        // Stopped without draining, as a crash leaves the store.
        let after = CountingAdapter()
        let second = try await EngineHarness(directory: first.directory, adapters: [BuiltinAdapter(), after])
        try await second.run { h in
            let done = try await h.waitFor(id)
            #expect(done.record.status == .completed)
            #expect(Set(after.calls(in: id)) == ["fan[3]", "fan[4]"], "finished instances are not run again")
            #expect(done.instances["fan"]?.map(\.attempt) == [1, 1, 1, 2, 2])
            #expect(done.tasks["fan"]?.output?.arrayValue?.count == 5)
            let events = try await h.events(id)
            expectWellFormedLog(events)
            #expect(events.filter { $0.type == .taskInstanceStarted && $0.details["recovered"] == true }.count == 2)
            #expect(wf.tasks.count == 3)
        }
    }

    @Test("re-running a failed map keeps the completed instances and runs the failed one and the rest")
    func retryFromFailureKeepsInstances() async throws {
        let counted = CountingAdapter()
        counted.fail("fan[2]")
        let h = try await EngineHarness(adapters: [BuiltinAdapter(), counted])
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(mapWorkflow(items: ["a", "b", "c", "d", "e"], component: "counted", action: "step", limit: 1))
            let first = try await h.start(wf)
            let failed = try await h.waitFor(first)
            #expect(failed.record.status == .failed)
            #expect(failed.tasks["fan"]?.error?.message == "instance 2 of task 'fan' failed: fan[2] is broken")
            #expect(counted.calls(in: first) == ["fan[0]", "fan[1]", "fan[2]"])
            #expect(failed.instances["fan"]?.map(\.status) == [.completed, .completed, .failed, .pending, .pending])

            counted.heal("fan[2]")
            let retried = try await h.engine.retry(executionID: first)
            let done = try await h.waitFor(retried.state.id)
            #expect(done.record.status == .completed)
            #expect(counted.calls(in: retried.state.id) == ["fan[2]", "fan[3]", "fan[4]"])
            #expect(done.tasks["fan"]?.output?.arrayValue?.count == 5)
        }
    }

    @Test("a restored checkpoint does not run the finished instances of an unfinished map again")
    func restoreKeepsInstances() async throws {
        let counted = CountingAdapter()
        counted.hold("fan[2]")
        let h = try await EngineHarness(adapters: [BuiltinAdapter(), counted])
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(mapWorkflow(items: ["a", "b", "c"], component: "counted", action: "step", limit: 1))
            let first = try await h.start(wf)
            try await h.waitFor(first) { $0.instances["fan"]?[2].status == .running }
            let checkpoint = try await h.engine.checkpoint(executionID: first, reason: "manual")
            #expect(checkpoint.instances.map(\.index) == [0, 1])
            _ = try await h.engine.cancel(executionID: first)
            counted.release("fan[2]")
            let restored = try await h.engine.restore(checkpointID: checkpoint.id)
            let done = try await h.waitFor(restored.state.id)
            #expect(done.record.status == .completed)
            #expect(counted.calls(in: restored.state.id) == ["fan[2]"])
        }
    }
}

/// Records how many calls are in flight at once; each call yields a few times so calls
/// overlap, without any real delay.
final class GaugeAdapter: ComponentAdapter, Sendable {
    private struct State {
        var inFlight = 0
        var peak = 0
        var calls = 0
    }

    private let state = Mutex(State())
    let component = "gauge"
    var actions: [ActionDescriptor] { [ActionDescriptor(name: "step", description: "echoes its input")] }
    var peak: Int { state.withLock { $0.peak } }
    var calls: Int { state.withLock { $0.calls } }

    func invoke(_ invocation: Invocation) async -> InvocationResult {
        state.withLock { state in
            state.inFlight += 1
            state.calls += 1
            state.peak = max(state.peak, state.inFlight)
        }
        for _ in 0..<20 { await Task.yield() }
        state.withLock { $0.inFlight -= 1 }
        return .success(invocation.input)
    }
}

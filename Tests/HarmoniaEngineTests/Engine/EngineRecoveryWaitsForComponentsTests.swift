import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaTestSupport
import Testing

/// A recovered task whose component is not loaded when recovery dispatches it waits for the
/// component instead of failing as unknown: crash recovery of plugin tasks must not depend
/// on the order in which the server loads its plugins (issue "adapters can't take Harmonia
/// down", build item 1).
@Suite(.timeLimit(.minutes(2)))
struct EngineRecoveryWaitsForComponentsTests {
    @Test func recoveredTaskOfAnUnloadedComponentWaitsThenCompletesWhenItRegisters() async throws {
        let before = CountingAdapter()
        before.hold("t2")
        let first = try await EngineHarness(adapters: [BuiltinAdapter(), before])
        defer { first.cleanUp() }
        let (wf, ids) = try await first.run { h in
            let wf = try await h.save(countedChain(3))
            var ids: [String] = []
            for _ in 0..<5 { ids.append(try await h.start(wf)) }
            for id in ids { try await h.waitFor(id) { $0.tasks["t2"]?.status == .running } }
            return (wf, ids)
        }

        // Second life: `counted` is not registered when recovery runs (a plugin not loaded yet).
        let second = try await EngineHarness(directory: first.directory, adapters: [BuiltinAdapter()])
        try await second.run { h in
            for id in ids {
                let waiting = try await h.waitFor(id) { $0.tasks["t2"]?.status == .waiting }
                #expect(waiting.record.status == .running)
                let events = try await h.events(id)
                let reason = events.last { $0.taskID == "t2" && $0.details["status"] == "waiting" }?.details["reason"]
                #expect(reason?.stringValue?.contains("'counted' is not loaded") == true, "\(String(describing: reason))")
            }
            // A new execution of the same workflow is not recovered work: unknown still fails.
            let fresh = try await h.start(wf)
            let failed = try await h.waitFor(fresh)
            #expect(failed.record.status == .failed)
            #expect(failed.tasks["t1"]?.error?.code == "component_unavailable")

            // The component arrives: every waiting task is dispatched and completes once.
            let after = CountingAdapter()
            h.engine.adapters.register(after)
            for id in ids {
                let done = try await h.waitFor(id)
                #expect(done.record.status == .completed)
                let events = try await h.events(id)
                expectWellFormedLog(events)
                #expect(!events.contains { $0.type == .taskFailed }, "no task failed in \(id)")
                for task in wf.tasks {
                    #expect(events.filter { $0.type == .taskCompleted && $0.taskID == task.id }.count == 1)
                }
                #expect(after.calls(in: id) == ["t2", "t3"])
            }
        }
    }
}

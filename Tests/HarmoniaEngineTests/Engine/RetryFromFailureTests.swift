import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaTestSupport
import Testing

/// Re-run from failure: the new execution keeps the completed tasks (not called again) and
/// runs the failed, skipped and canceled rest.
struct RetryFromFailureTests {
    @Test func aFailedChainIsRerunFromItsFailedTask() async throws {
        let counted = CountingAdapter()
        let h = try await EngineHarness(adapters: [BuiltinAdapter(), counted])
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(countedChain(4))
            counted.fail("t3")
            let first = try await h.start(wf, input: ["n": 1])
            let failed = try await h.waitFor(first)
            #expect(failed.record.status == .failed)
            #expect(failed.tasks["t4"]?.status == .skipped || failed.tasks["t4"]?.status == .canceled)

            counted.heal("t3")
            let retried = try await h.engine.retry(executionID: first)
            #expect(retried.created)
            let done = try await h.waitFor(retried.state.id)
            #expect(done.record.status == .completed)
            #expect(done.record.restoredFrom == first)
            #expect(done.record.metadata["retried_from"] == .string(first))
            #expect(done.record.input == ["n": 1], "same input")
            #expect(counted.calls(in: retried.state.id) == ["t3", "t4"], "t1 and t2 kept their outputs and were not called")
            #expect(done.tasks["t1"]?.output == failed.tasks["t1"]?.output)
            expectWellFormedLog(try await h.events(retried.state.id))
        }
    }

    @Test func onlyAFailedOrCanceledExecutionCanBeRetried() async throws {
        let counted = CountingAdapter()
        let h = try await EngineHarness(adapters: [BuiltinAdapter(), counted])
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(countedChain(2))
            let completed = try await h.start(wf)
            _ = try await h.waitFor(completed)
            let error = await #expect(throws: HarmoniaError.self) { _ = try await h.engine.retry(executionID: completed) }
            #expect(error?.code == .invalidState)
            #expect(error?.message.contains("nothing to re-run") == true)

            counted.hold("t1")
            let running = try await h.start(wf)
            _ = try await h.waitFor(running) { $0.tasks["t1"]?.status == .running }
            let busy = await #expect(throws: HarmoniaError.self) { _ = try await h.engine.retry(executionID: running) }
            #expect(busy?.code == .invalidState)
            #expect(busy?.message.contains("cancel it first") == true)

            try await h.engine.cancel(executionID: running)
            _ = try await h.waitFor(running)
            counted.release("t1")
            let again = try await h.engine.retry(executionID: running)
            #expect(try await h.waitFor(again.state.id).record.status == .completed)
            #expect(counted.calls(in: again.state.id) == ["t1", "t2"], "a canceled task runs again")

            let missing = await #expect(throws: HarmoniaError.self) { _ = try await h.engine.retry(executionID: "nope") }
            #expect(missing?.code == .notFound)
        }
    }
}

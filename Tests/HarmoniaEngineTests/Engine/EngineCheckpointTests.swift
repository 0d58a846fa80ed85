import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaStorageSQLite
import HarmoniaTestSupport
import Testing

/// Checkpoints and restore: completed work is kept, only what is left runs.
@Suite(.timeLimit(.minutes(1)))
struct EngineCheckpointTests {
    @Test func checkpointAfterTheThirdTaskRestoresOnlyFourAndFive() async throws {
        let counter = CountingAdapter()
        let h = try await EngineHarness(adapters: [BuiltinAdapter(), counter])
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(countedChain(5))
            counter.hold("t4")
            let original = try await h.start(wf)
            try await h.waitFor(original) { $0.tasks["t4"]?.status == .running }
            let checkpoint = try await h.engine.checkpoint(executionID: original)
            #expect(checkpoint.completedTasks.map(\.taskID) == ["t1", "t2", "t3"])
            let events = try await h.events(original)
            #expect(events.last?.type == .checkpointCreated)
            #expect(events.last?.seq == checkpoint.seq)
            #expect(try await h.store.checkpoints(executionID: original).map(\.id) == [checkpoint.id])
            try await h.engine.cancel(executionID: original)

            counter.release("t4")
            let restored = try await h.engine.restore(checkpointID: checkpoint.id)
            #expect(restored.state.record.restoredFrom == original)
            #expect(restored.state.record.metadata["restored_from_checkpoint"] == .string(checkpoint.id))
            let done = try await h.waitFor(restored.state.id)
            #expect(done.record.status == .completed)
            #expect(counter.calls(in: restored.state.id) == ["t4", "t5"])
            #expect(done.tasks["t3"]?.output == ["result": "t3 done"])
            let started = try await h.events(restored.state.id).first
            #expect(started?.details["kept_tasks"] == ["t1", "t2", "t3"])
        }
    }

    @Test func restoringAFailedExecutionRunsFromTheFailedTask() async throws {
        let counter = CountingAdapter()
        let h = try await EngineHarness(adapters: [BuiltinAdapter(), counter])
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(countedChain(5))
            counter.fail("t4")
            let original = try await h.start(wf)
            let failed = try await h.waitFor(original)
            #expect(failed.record.status == .failed)
            #expect(failed.tasks["t5"]?.status == .skipped)
            let checkpoint = try await h.engine.checkpoint(executionID: original)
            counter.heal("t4")
            let restored = try await h.engine.restore(checkpointID: checkpoint.id)
            let done = try await h.waitFor(restored.state.id)
            #expect(done.record.status == .completed)
            #expect(counter.calls(in: restored.state.id) == ["t4", "t5"])
            #expect(counter.calls(in: original) == ["t1", "t2", "t3", "t4"])
        }
    }

    @Test func pauseAndCancelTakeCheckpointsAutomatically() async throws {
        let counter = CountingAdapter()
        let h = try await EngineHarness(adapters: [BuiltinAdapter(), counter])
        defer { h.cleanUp() }
        try await h.run { h in
            counter.hold("t2")
            let id = try await h.start(try await h.save(countedChain(3)))
            try await h.waitFor(id) { $0.tasks["t2"]?.status == .running }
            try await h.engine.pause(executionID: id)
            try await h.engine.cancel(executionID: id)
            let reasons = try await h.store.checkpoints(executionID: id).map(\.reason)
            #expect(reasons == ["pause", "cancel"])
            let events = try await h.events(id)
            #expect(events.last?.type == .workflowCanceled)
            expectWellFormedLog(events)
        }
    }

    @Test func unknownIDsAreNotFound() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        try await h.run { h in
            await #expect(throws: HarmoniaError(.notFound, "")) { try await h.engine.checkpoint(executionID: "nope") }
            await #expect(throws: HarmoniaError(.notFound, "")) { try await h.engine.restore(checkpointID: "nope") }
        }
    }
}

import Foundation
import HarmoniaTestSupport
import Synchronization
import Testing

@testable import HarmoniaEngine

/// The engine's background work is owned: `run()` returns only after everything it started
/// has ended, a handle cancels its own work only, and ending `run()` cancels the rest.
@Suite(.timeLimit(.minutes(1)))
struct EngineTasksTests {
    /// A flag the work sets, read from the test.
    final class Flags: Sendable {
        let started = Atomic<Int>(0)
        let cancelled = Atomic<Int>(0)
        let finished = Atomic<Int>(0)
    }

    /// Work that waits until its task is cancelled (the hour-long sleep ends at once when it
    /// is), counting what happened.
    static func waitForCancel(_ flags: Flags) -> EngineTasks.Work {
        {
            flags.started.add(1, ordering: .relaxed)
            try? await Task.sleep(for: .seconds(3600))
            if Task.isCancelled { flags.cancelled.add(1, ordering: .relaxed) }
        }
    }

    @Test func aHandleCancelsItsOwnWorkOnly() async throws {
        let tasks = EngineTasks()
        let runner = Task { await tasks.run() }
        let first = Flags()
        let second = Flags()
        let handle = tasks.startCancellable(Self.waitForCancel(first))
        tasks.start(Self.waitForCancel(second))
        await eventually("both started") { first.started.load(ordering: .relaxed) == 1 && second.started.load(ordering: .relaxed) == 1 }
        handle.cancel()
        await eventually("the first is cancelled") { first.cancelled.load(ordering: .relaxed) == 1 }
        #expect(second.cancelled.load(ordering: .relaxed) == 0)

        // Ending the owner cancels the rest, and run() returns only after it ended.
        runner.cancel()
        await runner.value
        #expect(second.cancelled.load(ordering: .relaxed) == 1)
    }

    @Test func workCancelledBeforeItStartsNeverRuns() async throws {
        let tasks = EngineTasks()
        let flags = Flags()
        // Nothing runs the group yet: the work waits in the stream, and is cancelled there.
        let handle = tasks.startCancellable { flags.started.add(1, ordering: .relaxed) }
        handle.cancel()
        let marker = Flags()
        tasks.start { marker.finished.add(1, ordering: .relaxed) }
        let runner = Task { await tasks.run() }
        await eventually("later work ran") { marker.finished.load(ordering: .relaxed) == 1 }
        runner.cancel()
        await runner.value
        #expect(flags.started.load(ordering: .relaxed) == 0)
    }

    @Test func finishedWorkLeavesNothingBehindAndCancelAfterwardsIsHarmless() async throws {
        let tasks = EngineTasks()
        let runner = Task { await tasks.run() }
        let flags = Flags()
        let handles = (0..<200).map { _ in tasks.startCancellable { flags.finished.add(1, ordering: .relaxed) } }
        await eventually("all finished") { flags.finished.load(ordering: .relaxed) == 200 }
        for handle in handles { handle.cancel() }
        runner.cancel()
        await runner.value
        #expect(flags.finished.load(ordering: .relaxed) == 200)
    }
}

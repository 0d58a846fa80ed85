import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaStorageSQLite
import HarmoniaTestSupport
import Testing

/// Automatic `interval` checkpoints through a real engine and store: taken while an
/// execution runs and its log moves, never while it is paused or after it finished, and
/// restorable like any other checkpoint.
///
/// Absence cannot be awaited, so each "none" is checked only after a witness execution,
/// running all along with the same interval, has received two further interval
/// checkpoints: proof that the engine looked at every execution since.
///
/// Nothing here may finish on its own while the test still needs it running: the witness
/// and the opted-out chain outlast the suite's time limit (they are cancelled at the end),
/// and the subject ends in a held task, so a loaded machine that reaches the pause late
/// still finds it running.
@Suite(.timeLimit(.minutes(1)))
struct EngineIntervalCheckpointTests {
    /// A chain of `count` built-in `sleep` tasks of `seconds` each.
    static func sleepChain(_ name: String, count: Int, seconds: Double, checkpointInterval: Double? = nil) -> WorkflowDefinition {
        WorkflowDefinition(
            name: name,
            tasks: (1...count).map { i in
                TaskDefinition(
                    id: "s\(i)", component: "harmonia", action: "sleep", input: ["seconds": .double(seconds)],
                    dependsOn: i == 1 ? [] : ["s\(i - 1)"])
            },
            checkpointInterval: checkpointInterval)
    }

    @Test func takenWhileRunningAndTheLogMovesOnly() async throws {
        let counter = CountingAdapter()
        let h = try await EngineHarness(
            adapters: [BuiltinAdapter(), counter], configuration: EngineConfiguration(checkpointInterval: 0.2))
        defer { h.cleanUp() }
        try await h.run { h in
            // 600 sleeps of 0.1 s: longer than the time limit, however slowly the test runs.
            let witness = try await h.start(try await h.save(Self.sleepChain("witness", count: 600, seconds: 0.1)))
            var subjectChain = Self.sleepChain("subject", count: 12, seconds: 0.15)
            subjectChain.tasks.append(TaskDefinition(id: "gate", component: "counted", action: "step", dependsOn: ["s12"]))
            counter.hold("gate")
            let subject = try await h.start(try await h.save(subjectChain))
            counter.hold("t1")
            let idle = try await h.start(try await h.save(countedChain(2)))
            let optedOut = try await h.start(
                try await h.save(Self.sleepChain("opted out", count: 600, seconds: 0.1, checkpointInterval: 0)))

            /// Waits until the witness has two more interval checkpoints than now.
            func twoMoreTicks() async throws {
                let seen = try await intervalCheckpoints(h, witness).count
                try #require(
                    try await eventually("two more interval checkpoints of the witness") {
                        try await intervalCheckpoints(h, witness).count >= seen + 2
                    })
            }

            // Running: interval checkpoints appear, each at a later log position than the last
            // with something logged in between.
            try #require(
                try await eventually("two interval checkpoints while running") {
                    try await intervalCheckpoints(h, subject).count >= 2
                })
            let paused = try await h.engine.pause(executionID: subject)
            // Whether the gate is in flight already or runs after the resume, it now completes.
            counter.release("gate")
            let beforePause = try await intervalCheckpoints(h, subject)
            for (earlier, later) in zip(beforePause, beforePause.dropFirst()) {
                #expect(later.seq > earlier.seq + 1, "checkpoint at \(later.seq) follows the one at \(earlier.seq) with nothing logged between")
            }
            #expect(beforePause.allSatisfy { $0.record.status == .running })

            // Paused: the task in flight finishes (the log moves) yet no interval checkpoint comes.
            let settled = try await h.waitFor(subject) { state in state.tasks.values.allSatisfy { $0.status != .running } }
            #expect(settled.record.lastSeq > paused.record.lastSeq, "the log moved while paused")
            try await twoMoreTicks()
            #expect(try await intervalCheckpoints(h, subject).map(\.id) == beforePause.map(\.id))
            #expect(try await h.store.checkpoints(executionID: subject).last?.reason == "pause")

            // Resumed and finished: none after the final event.
            try await h.engine.resume(executionID: subject)
            let done = try await h.waitFor(subject)
            #expect(done.record.status == .completed)
            let atCompletion = try await h.store.checkpoints(executionID: subject).map(\.id)
            try await twoMoreTicks()
            #expect(try await h.store.checkpoints(executionID: subject).map(\.id) == atCompletion)
            let log = try await h.events(subject)
            expectWellFormedLog(log)
            #expect(try await h.store.checkpoints(executionID: subject).allSatisfy { $0.seq < done.record.lastSeq })

            // A task that runs all along: one checkpoint after the start, then nothing new to save.
            #expect(try await intervalCheckpoints(h, idle).count == 1)
            // A workflow with checkpoint_interval 0 opts out of the engine's interval.
            #expect(try await intervalCheckpoints(h, optedOut).isEmpty)

            for id in [witness, idle, optedOut] { try await h.engine.cancel(executionID: id) }
        }
    }

    /// The workflow's own interval applies with none configured for the engine, and an
    /// interval checkpoint restores like any other: only the unfinished tasks run.
    @Test func restoringAnIntervalCheckpointRunsOnlyTheUnfinishedTasks() async throws {
        let counter = CountingAdapter()
        let h = try await EngineHarness(adapters: [BuiltinAdapter(), counter])
        defer { h.cleanUp() }
        try await h.run { h in
            var chain = countedChain(5)
            chain.checkpointInterval = 0.2
            let workflow = try await h.save(chain)
            counter.hold("t4")
            let original = try await h.start(workflow)
            try #require(
                try await eventually("an interval checkpoint after t1, t2 and t3") {
                    try await intervalCheckpoints(h, original).contains { $0.completedTasks.map(\.taskID) == ["t1", "t2", "t3"] }
                })
            let checkpoint = try #require(
                try await intervalCheckpoints(h, original).last { $0.completedTasks.map(\.taskID) == ["t1", "t2", "t3"] })
            #expect(checkpoint.tasks.first { $0.taskID == "t4" }?.status == .running)
            try await h.engine.cancel(executionID: original)

            counter.release("t4")
            let restored = try await h.engine.restore(checkpointID: checkpoint.id)
            let done = try await h.waitFor(restored.state.id)
            #expect(done.record.status == .completed)
            #expect(counter.calls(in: restored.state.id) == ["t4", "t5"])
            #expect(counter.calls(in: original) == ["t1", "t2", "t3", "t4"])
            #expect(done.tasks["t3"]?.output == ["result": "t3 done"])
        }
    }
}

/// The execution's checkpoints with reason `interval`, oldest first.
private func intervalCheckpoints(_ h: EngineHarness, _ id: String) async throws -> [Checkpoint] {
    try await h.store.checkpoints(executionID: id).filter { $0.reason == "interval" }.sorted { $0.seq < $1.seq }
}

import Foundation
import HarmoniaCore
import Testing

@testable import HarmoniaEngine

/// The rules of interval checkpoints, without an engine or a clock: which executions are
/// due at a tick, which are skipped, and when the engine must look again.
struct IntervalCheckpointScheduleTests {
    typealias Candidate = IntervalCheckpointSchedule.Candidate

    let t0 = Date(timeIntervalSince1970: 1_000_000)

    func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    func running(_ id: String, seq: Int64, startedAt: Double = 0, interval: Double? = 10) -> Candidate {
        Candidate(id: id, status: .running, lastSeq: seq, startedAt: at(startedAt), interval: interval)
    }

    @Test func aRunningExecutionIsDueOneIntervalAfterItStarted() {
        var schedule = IntervalCheckpointSchedule(origin: t0)
        let early = schedule.tick([running("a", seq: 3)], now: at(5))
        #expect(early.due.isEmpty)
        #expect(early.next == at(10))
        let due = schedule.tick([running("a", seq: 5)], now: at(10))
        #expect(due.due == ["a"])
        #expect(due.next == at(20))
        #expect(schedule.marks["a"] == .init(since: at(10), seq: 6))
    }

    @Test func anUnchangedLogGetsNoNewCheckpoint() {
        var schedule = IntervalCheckpointSchedule(origin: t0)
        #expect(schedule.tick([running("a", seq: 5)], now: at(10)).due == ["a"])
        // The checkpoint itself moved the log to 6; nothing happened since.
        let idle = schedule.tick([running("a", seq: 6)], now: at(20))
        #expect(idle.due.isEmpty)
        #expect(idle.next == at(30), "checked again an interval later, not at every tick")
        #expect(schedule.tick([running("a", seq: 9)], now: at(30)).due == ["a"])
    }

    @Test func checkpointsDueWithinATenthOfTheIntervalShareATick() {
        var schedule = IntervalCheckpointSchedule(origin: t0)
        let candidates = [running("a", seq: 1), running("b", seq: 1, startedAt: 0.5), running("c", seq: 1, startedAt: 3)]
        let tick = schedule.tick(candidates, now: at(10))
        #expect(tick.due == ["a", "b"])
        #expect(tick.next == at(13))
    }

    @Test func pausedExecutionsAreNotDueAndResumeStartsTheirIntervalOver() {
        var schedule = IntervalCheckpointSchedule(origin: t0)
        _ = schedule.tick([running("a", seq: 1)], now: at(10))
        let paused = Candidate(id: "a", status: .paused, lastSeq: 9, startedAt: at(0), interval: 10)
        let whilePaused = schedule.tick([paused], now: at(40))
        #expect(whilePaused.due.isEmpty)
        #expect(whilePaused.next == nil, "nothing running: the engine need not wake")
        #expect(schedule.marks["a"]?.seq == 2, "a paused execution keeps its place")
        schedule.resumed("a", at: at(41))
        let afterResume = schedule.tick([running("a", seq: 10)], now: at(42))
        #expect(afterResume.due.isEmpty)
        #expect(afterResume.next == at(51))
        #expect(schedule.tick([running("a", seq: 12)], now: at(51)).due == ["a"])
    }

    @Test func finishedExecutionsAreForgotten() {
        var schedule = IntervalCheckpointSchedule(origin: t0)
        _ = schedule.tick([running("a", seq: 1), running("b", seq: 1)], now: at(10))
        let tick = schedule.tick([running("b", seq: 4)], now: at(15))
        #expect(Set(schedule.marks.keys) == ["b"])
        #expect(tick.next == at(20))
    }

    @Test func executionsWithoutAnIntervalAreIgnored() {
        var schedule = IntervalCheckpointSchedule(origin: t0)
        let tick = schedule.tick([running("off", seq: 3, interval: 0), running("none", seq: 3, interval: nil)], now: at(100))
        #expect(tick.due.isEmpty)
        #expect(tick.next == nil)
        #expect(schedule.marks.isEmpty)
    }

    @Test func executionsRunningBeforeTheOriginAreTimedFromIt() {
        var schedule = IntervalCheckpointSchedule(origin: at(1000))
        let tick = schedule.tick([running("old", seq: 40, startedAt: 0)], now: at(1001))
        #expect(tick.due.isEmpty, "a restart does not checkpoint every recovered execution at once")
        #expect(tick.next == at(1010))
    }

    @Test func aCheckpointOnRequestRestartsTheInterval() {
        var schedule = IntervalCheckpointSchedule(origin: t0)
        _ = schedule.tick([running("a", seq: 1)], now: at(1))
        schedule.checkpointed("a", seq: 7, at: at(8))
        #expect(schedule.tick([running("a", seq: 7)], now: at(12)).due.isEmpty)
        let idle = schedule.tick([running("a", seq: 7)], now: at(18))
        #expect(idle.due.isEmpty, "the log has not moved since the requested checkpoint")
        #expect(schedule.tick([running("a", seq: 8)], now: at(28)).due == ["a"])
    }

    @Test func eachExecutionUsesItsOwnInterval() {
        var schedule = IntervalCheckpointSchedule(origin: t0)
        let candidates = [running("fast", seq: 1, interval: 2), running("slow", seq: 1, interval: 60)]
        let tick = schedule.tick(candidates, now: at(2))
        #expect(tick.due == ["fast"])
        #expect(tick.next == at(4))
    }
}

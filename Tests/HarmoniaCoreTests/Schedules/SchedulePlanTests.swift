import Foundation
import HarmoniaCore
import Testing

/// The pure decision the schedule service makes per schedule, and the request parsing and
/// changes that set a schedule's due times.
struct SchedulePlanTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func every(_ seconds: Int, missed: Schedule.MissedRunPolicy = .skip) -> Schedule {
        var schedule = Schedule(
            id: "s", workflowID: "wf", trigger: .interval(seconds: seconds, anchor: t0), missedRuns: missed, createdAt: t0)
        schedule.nextDueAt = t0.addingTimeInterval(Double(seconds))
        return schedule
    }

    @Test func nothingDueWaitsForTheCursor() {
        #expect(SchedulePlan.plan(Self.every(60), now: Self.t0.addingTimeInterval(59), lateness: 60) == .wait(until: Self.t0.addingTimeInterval(60)))
        var paused = Self.every(60)
        paused.paused = true
        #expect(SchedulePlan.plan(paused, now: Self.t0.addingTimeInterval(600), lateness: 60) == .wait(until: nil))
        var finished = Self.every(60)
        finished.nextDueAt = nil
        #expect(SchedulePlan.plan(finished, now: Self.t0, lateness: 60) == .wait(until: nil))
    }

    @Test func oneDueTimeWithinTheLatenessRunsUnderBothPolicies() {
        for policy in Schedule.MissedRunPolicy.allCases {
            let plan = SchedulePlan.plan(Self.every(3600, missed: policy), now: Self.t0.addingTimeInterval(3630), lateness: 60)
            #expect(plan == .run(dueAt: Self.t0.addingTimeInterval(3600), missed: 0, next: Self.t0.addingTimeInterval(7200)))
        }
    }

    /// One due time, but older than the lateness: the server was down through it.
    @Test func oneLateDueTimeIsMissed() {
        let now = Self.t0.addingTimeInterval(3600 + 61)
        #expect(SchedulePlan.plan(Self.every(3600), now: now, lateness: 60)
            == .skipMissed(count: 1, latest: Self.t0.addingTimeInterval(3600), next: Self.t0.addingTimeInterval(7200)))
        #expect(SchedulePlan.plan(Self.every(3600, missed: .runOnce), now: now, lateness: 60)
            == .run(dueAt: Self.t0.addingTimeInterval(3600), missed: 0, next: Self.t0.addingTimeInterval(7200)))
    }

    /// Several due times passed: missed even when the latest is recent.
    @Test func severalDueTimesAreMissedEvenIfTheLatestIsRecent() {
        let now = Self.t0.addingTimeInterval(605)
        #expect(SchedulePlan.plan(Self.every(60), now: now, lateness: 60)
            == .skipMissed(count: 10, latest: Self.t0.addingTimeInterval(600), next: Self.t0.addingTimeInterval(660)))
        #expect(SchedulePlan.plan(Self.every(60, missed: .runOnce), now: now, lateness: 60)
            == .run(dueAt: Self.t0.addingTimeInterval(600), missed: 9, next: Self.t0.addingTimeInterval(660)))
    }

    /// A year down on a one-second interval: counting stops at the limit, the cursor still
    /// lands after now.
    @Test func aLongDowntimeIsCountedUpToTheLimit() {
        let now = Self.t0.addingTimeInterval(365 * 86_400)
        guard case .skipMissed(let count, _, let next) = SchedulePlan.plan(Self.every(1), now: now, lateness: 60) else {
            Issue.record("expected skipMissed")
            return
        }
        #expect(count == SchedulePlan.countLimit)
        #expect(next == now.addingTimeInterval(1))
    }

    @Test func intervalDueTimesKeepToTheirAnchor() {
        let trigger = ScheduleTrigger.interval(seconds: 90, anchor: Self.t0)
        #expect(trigger.next(after: Self.t0) == Self.t0.addingTimeInterval(90))
        #expect(trigger.next(after: Self.t0.addingTimeInterval(90)) == Self.t0.addingTimeInterval(180))
        #expect(trigger.next(after: Self.t0.addingTimeInterval(1000)) == Self.t0.addingTimeInterval(1080))
        #expect(trigger.next(after: Self.t0.addingTimeInterval(-5)) == Self.t0)
        #expect(trigger.upcoming(after: Self.t0, count: 3) == [90, 180, 270].map { Self.t0.addingTimeInterval($0) })
    }

    @Test func aDraftBecomesASchedule() throws {
        let draft = try ScheduleDraft.decode([
            "workflowId": "wf", "cron": "@hourly", "timezone": "Asia/Kolkata", "overlap": "allow", "input": ["a": 1],
        ])
        let schedule = try Schedule(draft: draft, now: Self.t0)
        #expect(schedule.workflowID == "wf" && schedule.overlap == .allow && schedule.missedRuns == .skip)
        #expect(schedule.name == schedule.id && schedule.input == ["a": 1])
        // Kolkata is UTC+05:30, so its hours start at :30 UTC.
        #expect(schedule.nextDueAt.map { Int($0.timeIntervalSince1970) % 3600 } == 1800)
        #expect(schedule.idempotencyKey(dueAt: Self.t0) == "schedule:\(schedule.id):1800000000000")
        #expect(schedule.nextRuns(after: Self.t0).count == 5)
    }

    @Test func changesRetimeOnlyWhenTheyShouldAndResumeIsFromNow() throws {
        var schedule = Self.every(60)
        schedule = try schedule.applying(ScheduleDraft.decode(["name": "renamed"]), now: Self.t0.addingTimeInterval(30))
        #expect(schedule.nextDueAt == Self.t0.addingTimeInterval(60), "a rename keeps the due time")
        schedule = try schedule.applying(ScheduleDraft.decode(["paused": true]), now: Self.t0.addingTimeInterval(30))
        #expect(schedule.nextRuns(after: Self.t0).isEmpty)
        schedule = try schedule.applying(ScheduleDraft.decode(["paused": false]), now: Self.t0.addingTimeInterval(1000))
        #expect(schedule.nextDueAt == Self.t0.addingTimeInterval(1020), "the first due time of its grid after the resume")
        schedule = try schedule.applying(ScheduleDraft.decode(["interval": 10]), now: Self.t0.addingTimeInterval(2000))
        #expect(schedule.nextDueAt == Self.t0.addingTimeInterval(2010))
        schedule = try schedule.applying(ScheduleDraft.decode(["workflow_version": 2]), now: Self.t0)
        #expect(schedule.workflowVersion == 2)
        schedule = try schedule.applying(ScheduleDraft.decode(["workflow_version": nil]), now: Self.t0)
        #expect(schedule.workflowVersion == nil, "null means the newest version again")
        #expect(throws: HarmoniaError(.invalidSchedule, "")) {
            try Self.every(60).applying(ScheduleDraft.decode(["timezone": "UTC"]), now: Self.t0)
        }
    }

    /// `start_at` holds the first run back (a due time exactly at it counts); `end_at` ends
    /// the schedule: no due time after it, and the plan then waits for ever.
    @Test func startAndEndBoundTheDueTimes() throws {
        let draft = try ScheduleDraft.decode([
            "workflow_id": "wf", "interval": 60, "start_at": "2027-01-15T08:20:00Z", "end_at": "2027-01-15T08:22:30.000Z",
        ])
        let schedule = try Schedule(draft: draft, now: Self.t0)  // t0 is 2027-01-15T08:00:00Z
        #expect(schedule.nextDueAt == Self.t0.addingTimeInterval(1200), "the first grid time at or after start_at")
        #expect(schedule.nextRuns(after: Self.t0) == [1200, 1260, 1320].map { Self.t0.addingTimeInterval($0) }, "none after end_at")
        var last = schedule
        last.nextDueAt = Self.t0.addingTimeInterval(1320)
        #expect(SchedulePlan.plan(last, now: Self.t0.addingTimeInterval(1320), lateness: 60)
            == .run(dueAt: Self.t0.addingTimeInterval(1320), missed: 0, next: nil))
        let reopened = try schedule.applying(ScheduleDraft.decode(["end_at": nil]), now: Self.t0)
        #expect(reopened.endAt == nil && reopened.nextRuns(after: Self.t0).count == 5)
        #expect(throws: HarmoniaError(.invalidSchedule, "")) {
            try Schedule(draft: ScheduleDraft.decode(["workflow_id": "wf", "interval": 60, "start_at": "2027-01-02T00:00:00Z", "end_at": "2027-01-01T00:00:00Z"]), now: Self.t0)
        }
    }

    @Test(arguments: [
        (["workflow_id": "wf", "interval": 0] as JSONValue, "interval"),
        (["workflow_id": "wf", "interval": 31_622_401] as JSONValue, "interval"),
        (["workflow_id": "wf", "cron": "0 0 * *"] as JSONValue, "cron"),
        (["workflow_id": "wf", "cron": "@daily", "timezone": "Nowhere/Land"] as JSONValue, "timezone"),
        (["workflow_id": "wf", "cron": "@daily", "missed_runs": "twice"] as JSONValue, "missed_runs"),
        (["workflow_id": "wf", "cron": "@daily", "overlap": 1] as JSONValue, "overlap"),
        (["workflow_id": "", "cron": "@daily"] as JSONValue, "workflow_id"),
        (["id": "a/b", "workflow_id": "wf", "cron": "@daily"] as JSONValue, "id"),
        (["workflow_id": "wf", "cron": "@daily", "start_at": "tomorrow"] as JSONValue, "start_at"),
        (["workflow_id": "wf", "cron": "@daily", "end_at": "2027-01-01T00:00:00"] as JSONValue, "end_at"),
    ])
    func badFieldsAreNamed(body: JSONValue, field: String) {
        do {
            _ = try Schedule(draft: ScheduleDraft.decode(body), now: Self.t0)
            Issue.record("accepted \(body)")
        } catch let error as HarmoniaError {
            #expect(error.code == .invalidSchedule)
            #expect(([error.path] + error.problems.map(\.path)).contains(field), "\(error)")
        } catch {
            Issue.record("\(error)")
        }
    }
}

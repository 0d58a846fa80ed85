import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaTestSupport
import Testing

/// The schedule service on virtual time with a real engine and SQLite: cron in a time zone
/// across daylight-saving changes, missed runs after downtime, overlap, pause and resume,
/// and restarts. No test waits for real time to pass.
@Suite(.timeLimit(.minutes(2)))
struct ScheduleServiceTests {
    /// Daily 02:30 in New York across 8 March 2026, when 02:00 EST jumps to 03:00 EDT: the
    /// day before at 07:30Z, the change day once at the jump (07:00Z), the day after at
    /// 06:30Z. Each execution records its schedule and due time.
    @Test func cronAcrossSpringForwardInNewYork() async throws {
        let rig = try await ScheduleRig(start: "2026-03-07T05:00:00Z")
        try await rig.run { rig in
            _ = try await rig.save([noop("a")])
            let schedule = try await rig.create(["id": "nightly", "workflow_id": "wf", "cron": "30 2 * * *", "timezone": "America/New_York", "input": ["n": 1]])
            try await rig.withService { (service: ScheduleService) async throws in
                let expected = ["2026-03-07T07:30:00Z", "2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z"].map(ScheduleRig.date)
                for (index, due) in expected.enumerated() {
                    try await rig.executionsEnded()
                    try await rig.advance(service, to: due)
                    let runs = try await rig.runs(schedule.id)
                    #expect(runs.count == index + 1)
                    #expect(runs.last?.dueAt == due)
                    #expect(runs.last?.outcome == .started)
                }
                #expect(service.currentProgress.sleepingUntil == ScheduleRig.date("2026-03-10T06:30:00Z"))
                let executions = try await rig.executions()
                #expect(executions.count == 3)
                #expect(Set(executions.compactMap { $0.metadata["scheduled_for"]?.stringValue }) == [
                    "2026-03-07T07:30:00.000Z", "2026-03-08T07:00:00.000Z", "2026-03-09T06:30:00.000Z",
                ])
                #expect(executions.allSatisfy { $0.metadata["schedule_id"] == "nightly" && $0.input == ["n": 1] })
            }
        }
    }

    /// Daily 01:30 in New York across 1 November 2026, when 02:00 EDT falls back to 01:00 EST:
    /// 01:30 happens twice that night and runs once, at its first occurrence (05:30Z).
    @Test func cronAcrossFallBackInNewYork() async throws {
        let rig = try await ScheduleRig(start: "2026-10-31T04:00:00Z")
        try await rig.run { rig in
            _ = try await rig.save([noop("a")])
            let schedule = try await rig.create(["workflow_id": "wf", "cron": "30 1 * * *", "timezone": "America/New_York"])
            try await rig.withService { (service: ScheduleService) async throws in
                for due in ["2026-10-31T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"].map(ScheduleRig.date) {
                    try await rig.executionsEnded()
                    try await rig.advance(service, to: due)
                }
                #expect(try await rig.runs(schedule.id).map(\.dueAt) == [
                    "2026-10-31T05:30:00Z", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z",
                ].map(ScheduleRig.date))
                #expect(try await rig.executions().count == 3)
            }
        }
    }

    /// `skip`: after ten minutes of downtime on a one-minute interval, nothing is caught up;
    /// one `missed` record counts the ten due times, and the next run is the next due time
    /// after the restart.
    @Test func missedRunsAreSkipped() async throws {
        let rig = try await ScheduleRig(start: "2026-05-01T00:00:00Z")
        try await rig.run { rig in
            _ = try await rig.save([noop("a")])
            let schedule = try await rig.create(["id": "s", "workflow_id": "wf", "interval": 60, "missed_runs": "skip"])
            let start = rig.clock.now()
            try await rig.withService { (service: ScheduleService) async throws in
                try await rig.advance(service, to: start.addingTimeInterval(60))
            }
            rig.clock.advance(by: 600)  // down from 00:01 to 00:11: due times 00:02 ... 00:11 pass.
            try await rig.withService { (service: ScheduleService) async throws in
                var runs = try await rig.runs(schedule.id)
                #expect(runs.map(\.outcome) == [.started, .missed])
                #expect(runs.last?.missedCount == 10)
                #expect(runs.last?.dueAt == start.addingTimeInterval(660))
                #expect(try await rig.executions().count == 1, "nothing caught up")
                try await rig.advance(service, to: start.addingTimeInterval(720))
                runs = try await rig.runs(schedule.id)
                #expect(runs.map(\.outcome) == [.started, .missed, .started])
                #expect(try await rig.executions().count == 2)
            }
        }
    }

    /// `run_once`: the same downtime gives one run, for the latest missed due time, noting
    /// the nine earlier ones; then the schedule goes on.
    @Test func missedRunsRunOnce() async throws {
        let rig = try await ScheduleRig(start: "2026-05-01T00:00:00Z")
        try await rig.run { rig in
            _ = try await rig.save([noop("a")])
            let schedule = try await rig.create(["id": "s", "workflow_id": "wf", "interval": 60, "missed_runs": "run_once"])
            let start = rig.clock.now()
            try await rig.withService { (service: ScheduleService) async throws in
                try await rig.advance(service, to: start.addingTimeInterval(60))
            }
            rig.clock.advance(by: 610)
            try await rig.withService { (service: ScheduleService) async throws in
                let runs = try await rig.runs(schedule.id)
                #expect(runs.map(\.outcome) == [.started, .started])
                #expect(runs.last?.dueAt == start.addingTimeInterval(660), "the latest missed due time")
                #expect(runs.last?.missedCount == 9)
                let latest = try #require(try await rig.store.execution(id: runs.last?.executionID ?? ""))
                #expect(latest.record.metadata["scheduled_for"] == "2026-05-01T00:11:00.000Z")
                try await rig.advance(service, to: start.addingTimeInterval(720))
                #expect(try await rig.executions().count == 3)
            }
        }
    }

    /// `allow`: a second run starts while the first is unfinished.
    @Test func overlapAllow() async throws {
        let (runs, executions) = try await overlap("allow")
        #expect(runs.map(\.outcome) == [.started, .started])
        #expect(executions.count == 2)
        #expect(executions.allSatisfy { !$0.status.isTerminal })
    }

    /// `skip`: the second due time is recorded as skipped, naming the unfinished execution.
    @Test func overlapSkip() async throws {
        let (runs, executions) = try await overlap("skip")
        #expect(runs.map(\.outcome) == [.started, .skipped])
        #expect(runs.last?.reason?.contains(runs.first?.executionID ?? "?") == true)
        #expect(executions.count == 1)
    }

    /// `cancel_previous`: the unfinished execution is canceled, then the next one starts.
    @Test func overlapCancelPrevious() async throws {
        let (runs, executions) = try await overlap("cancel_previous")
        #expect(runs.map(\.outcome) == [.started, .started])
        #expect(runs.last?.canceledExecutionID == runs.first?.executionID)
        let first = try #require(executions.first { $0.id == runs.first?.executionID })
        #expect(first.status == .canceled)
        #expect(executions.count == 2)
    }

    /// Two due times of a one-minute schedule whose workflow runs for an hour.
    private func overlap(_ policy: String) async throws -> ([ScheduleRun], [ExecutionRecord]) {
        let rig = try await ScheduleRig(start: "2026-05-01T00:00:00Z")
        return try await rig.run { rig in
            _ = try await rig.save([longTask])
            let schedule = try await rig.create(["id": "s", "workflow_id": "wf", "interval": 60, "overlap": .string(policy)])
            let start = rig.clock.now()
            let result = try await rig.withService { (service: ScheduleService) async throws in
                try await rig.advance(service, to: start.addingTimeInterval(60))
                let first = try #require(try await rig.runs(schedule.id).first?.executionID)
                try await rig.harness.waitFor(first) { $0.record.status == .running }
                try await rig.advance(service, to: start.addingTimeInterval(120))
                let runs = try await rig.runs(schedule.id)
                if policy == "cancel_previous" { try await rig.harness.waitFor(first) }
                return (runs, try await rig.executions())
            }
            for execution in result.1 where !execution.status.isTerminal {
                _ = try? await rig.harness.engine.cancel(executionID: execution.id)
            }
            return result
        }
    }

    /// Paused, a schedule has no due time and nothing runs however much time passes; resumed,
    /// it is due from the time of the resume (a pause is not downtime: nothing is missed).
    @Test func pauseAndResume() async throws {
        let rig = try await ScheduleRig(start: "2026-05-01T00:00:00Z")
        try await rig.run { rig in
            _ = try await rig.save([noop("a")])
            let schedule = try await rig.create(["id": "s", "workflow_id": "wf", "interval": 60])
            let start = rig.clock.now()
            try await rig.withService { (service: ScheduleService) async throws in
                try await rig.advance(service, to: start.addingTimeInterval(60))
                var paused = try #require(try await rig.store.schedule(id: "s"))
                paused = try paused.applying(ScheduleDraft.decode(["paused": true]), now: rig.clock.now())
                try await rig.store.updateSchedule(paused)
                try await rig.changed(service)
                #expect(service.currentProgress.sleepingUntil == nil, "nothing is due while paused")
                rig.clock.advance(by: 3600)
                #expect(try await rig.runs(schedule.id).count == 1)

                let resumeTime = rig.clock.now()
                let resumed = try paused.applying(ScheduleDraft.decode(["paused": false]), now: resumeTime)
                try await rig.store.updateSchedule(resumed)
                try await rig.changed(service)
                #expect(try await rig.runs(schedule.id).map(\.outcome) == [.started], "no missed record for the pause")
                try await rig.advance(service, to: start.addingTimeInterval(3660 + 60))
                #expect(try await rig.runs(schedule.id).map(\.outcome) == [.started, .started])
            }
        }
    }

    /// A restart at a due time runs it once: stopped just before, the new service runs it;
    /// stopped after starting the execution but before recording it (simulated by starting it
    /// with the schedule's idempotency key), the new service records that execution instead
    /// of starting another.
    @Test func restartNeitherLosesNorDoublesARun() async throws {
        let rig = try await ScheduleRig(start: "2026-05-01T00:00:00Z")
        try await rig.run { rig in
            let workflow = try await rig.save([noop("a")])
            let schedule = try await rig.create(["id": "s", "workflow_id": "wf", "interval": 60, "missed_runs": "skip"])
            let start = rig.clock.now()
            try await rig.withService { (_: ScheduleService) async throws in }
            rig.clock.advance(by: 60)
            try await rig.withService { (service: ScheduleService) async throws in
                #expect(try await rig.runs(schedule.id).map(\.outcome) == [.started])
                #expect(try await rig.executions().count == 1)
                #expect(service.currentProgress.sleepingUntil == start.addingTimeInterval(120))
            }
            rig.clock.advance(by: 60)
            let due = start.addingTimeInterval(120)
            let crashed = try await rig.harness.engine.startExecution(
                workflow: workflow, input: .emptyObject,
                metadata: ["schedule_id": "s", "scheduled_for": "2026-05-01T00:02:00.000Z"],
                idempotencyKey: schedule.idempotencyKey(dueAt: due))
            try await rig.withService { (_: ScheduleService) async throws in
                let runs = try await rig.runs(schedule.id)
                #expect(runs.map(\.outcome) == [.started, .started])
                #expect(runs.last?.executionID == crashed.state.id)
                #expect(try await rig.executions().count == 2)
            }
        }
    }

    /// A run whose workflow was deleted is recorded as failed, and the schedule goes on.
    @Test func deletedWorkflowFailsTheRunOnly() async throws {
        let rig = try await ScheduleRig(start: "2026-05-01T00:00:00Z")
        try await rig.run { rig in
            _ = try await rig.save([noop("a")])
            let schedule = try await rig.create(["id": "s", "workflow_id": "wf", "interval": 60])
            _ = try await rig.store.deleteWorkflow(id: "wf")
            let start = rig.clock.now()
            try await rig.withService { (service: ScheduleService) async throws in
                try await rig.advance(service, to: start.addingTimeInterval(60))
                let runs = try await rig.runs(schedule.id)
                #expect(runs.map(\.outcome) == [.failed])
                #expect(runs.first?.reason == "no workflow with id wf")
                #expect(service.currentProgress.sleepingUntil == start.addingTimeInterval(120))
            }
        }
    }
}

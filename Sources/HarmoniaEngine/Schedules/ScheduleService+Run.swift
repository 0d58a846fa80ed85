import Foundation
import HarmoniaCore
import Logging

extension ScheduleService {
    /// Store and engine failures that a later pass may not meet: the due time is tried
    /// again instead of being recorded as failed.
    static let transientCodes: Set<HarmoniaError.Code> = [.notReady, .overloaded, .storageUnavailable, .storageFailure]

    /// Starts (or, by the overlap policy, skips) the run of `schedule` due at `dueAt`, and
    /// records it with the cursor moved to `next`.
    func fire(_ schedule: Schedule, dueAt: Date, missed: Int, next: Date?) async throws {
        var run = ScheduleRun(scheduleID: schedule.id, dueAt: dueAt, recordedAt: clock.now(), outcome: .started, missedCount: missed)
        let key = schedule.idempotencyKey(dueAt: dueAt)
        // Started before a crash that came before its record: record it, start nothing.
        if let earlier = try await store.execution(idempotencyKey: key) {
            run.executionID = earlier.id
            try await record(run, next: next)
            return
        }
        if schedule.overlap != .allow, let previous = try await unfinishedPrevious(of: schedule) {
            switch schedule.overlap {
            case .allow:
                break
            case .skip:
                run.outcome = .skipped
                run.reason = "execution \(previous.id) of this schedule is still \(previous.record.status.rawValue) (overlap: skip)"
                logger.info("schedule \(schedule.id): run due \(dueAt) skipped, execution \(previous.id) is unfinished")
                try await record(run, next: next)
                return
            case .cancelPrevious:
                do {
                    try await engine.cancel(
                        executionID: previous.id,
                        reason: "canceled by schedule \(schedule.id): its next run is due (overlap: cancel_previous)")
                } catch let error as HarmoniaError where error.code == .invalidState {
                    // It finished meanwhile: nothing to cancel.
                }
                run.canceledExecutionID = previous.id
            }
        }
        guard let workflow = try await store.workflow(id: schedule.workflowID, version: schedule.workflowVersion) else {
            let version = schedule.workflowVersion.map { " version \($0)" } ?? ""
            run.outcome = .failed
            run.reason = "no workflow with id \(schedule.workflowID)\(version)"
            logger.warning("schedule \(schedule.id): \(run.reason ?? "")")
            try await record(run, next: next)
            return
        }
        var metadata = schedule.metadata
        metadata["schedule_id"] = .string(schedule.id)
        metadata["scheduled_for"] = .string(Self.timestamp(dueAt))
        do {
            let started = try await engine.startExecution(
                workflow: workflow, input: schedule.input, metadata: metadata, idempotencyKey: key)
            run.executionID = started.state.id
        } catch let error as HarmoniaError where !Self.transientCodes.contains(error.code) {
            run.outcome = .failed
            run.reason = error.description
            logger.warning("schedule \(schedule.id): the run due \(dueAt) could not start: \(error)")
        }
        try await record(run, next: next)
    }

    /// Records `run` and moves the cursor; a schedule deleted meanwhile is no error.
    func record(_ run: ScheduleRun, next: Date?) async throws {
        do {
            try await store.recordScheduleRun(run, nextDueAt: next)
        } catch let error as HarmoniaError where error.code == .notFound {
            logger.info("schedule \(run.scheduleID) was deleted while its run was due; nothing recorded")
        }
    }

    /// The newest execution this schedule started, if it has not finished.
    func unfinishedPrevious(of schedule: Schedule) async throws -> ExecutionState? {
        let runs = try await store.scheduleRuns(scheduleID: schedule.id, limit: 100)
        guard let id = runs.first(where: { $0.outcome == .started && $0.executionID != nil })?.executionID,
            let state = try await store.execution(id: id), !state.record.status.isTerminal
        else { return nil }
        return state
    }

    /// `2026-03-08T07:00:00.000Z`: the due time as the API writes dates (UTC, rounded to the
    /// millisecond the way the store and `APICoding` round), so `scheduled_for` equals the
    /// run record's `due_at` on the wire.
    static func timestamp(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let whole = Date(timeIntervalSince1970: Double(milliseconds / 1000))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: whole)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0,
            c.second ?? 0, Int(milliseconds % 1000))
    }
}

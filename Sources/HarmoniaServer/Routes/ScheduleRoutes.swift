import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import HarmoniaEngine
import Hummingbird
import Logging

/// `/schedules`: create, list, read, change, pause, resume and delete schedules, and read
/// their run records.
///
/// The routes store schedules and wake the schedule service, which starts the runs; the
/// rules (parsing, due times, what a change or a resume does to the next due time) live in
/// `HarmoniaCore` so the service and the tests see the same ones.
struct ScheduleRoutes: Sendable {
    let dependencies: RouteDependencies
    /// How many run records a schedule's view carries in `last_runs`.
    static let lastRunsShown = 10

    func addRoutes(to group: RouterGroup<HarmoniaRequestContext>) {
        group.post("schedules", use: create)
        group.get("schedules", use: list)
        group.get("schedules/{id}", use: read)
        group.patch("schedules/{id}", use: update)
        group.delete("schedules/{id}", use: delete)
        group.post("schedules/{id}/pause", use: pause)
        group.post("schedules/{id}/resume", use: resume)
        group.get("schedules/{id}/runs", use: runs)
    }

    /// 201 with the schedule; 404 for an unknown workflow (as starting an execution of it),
    /// 409 for a taken id, 400 `invalid_schedule` naming the field otherwise.
    @Sendable func create(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let draft = try ScheduleDraft.decode(try await body(request))
        let now = dependencies.engine.clock.now()
        let schedule = try Schedule(draft: draft, now: now)
        try await checkWorkflow(schedule)
        try await dependencies.store.createSchedule(schedule)
        dependencies.schedules?.wake()
        context.logger.info(
            "schedule created", metadata: ["schedule_id": "\(schedule.id)", "workflow_id": "\(schedule.workflowID)"])
        return success("schedule created", ScheduleView(schedule, now: now), status: .created)
    }

    @Sendable func list(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let page = try request.page()
        let schedules = try await dependencies.store.listSchedules(limit: page.limit, offset: page.offset)
        let now = dependencies.engine.clock.now()
        var views: [ScheduleView] = []
        for schedule in schedules {
            views.append(ScheduleView(schedule, now: now, lastRuns: try await lastRuns(schedule.id, limit: 1)))
        }
        return success("\(views.count) schedule(s)", ScheduleList(schedules: views, limit: page.limit, offset: page.offset))
    }

    @Sendable func read(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let schedule = try await existing(context.requiredID())
        return success("schedule found", try await view(schedule))
    }

    /// Changes the fields the body gives; a new cron, time zone or interval, or a resume,
    /// starts the due times afresh from now.
    @Sendable func update(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let current = try await existing(context.requiredID())
        let draft = try ScheduleDraft.decode(try await body(request))
        let updated = try current.applying(draft, now: dependencies.engine.clock.now())
        if updated.workflowID != current.workflowID || updated.workflowVersion != current.workflowVersion {
            try await checkWorkflow(updated)
        }
        try await dependencies.store.updateSchedule(updated)
        dependencies.schedules?.wake()
        context.logger.info("schedule updated", metadata: ["schedule_id": "\(updated.id)"])
        return success("schedule updated", try await view(updated))
    }

    @Sendable func pause(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        try await setPaused(true, context: context)
    }

    @Sendable func resume(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        try await setPaused(false, context: context)
    }

    /// Pausing a paused schedule (or resuming a running one) changes nothing and is no error.
    private func setPaused(_ paused: Bool, context: HarmoniaRequestContext) async throws -> JSONResponse<APISuccess<ScheduleView>> {
        let current = try await existing(context.requiredID())
        guard current.paused != paused else {
            return success("schedule already \(paused ? "paused" : "running")", try await view(current))
        }
        var draft = ScheduleDraft()
        draft.paused = paused
        let updated = try current.applying(draft, now: dependencies.engine.clock.now())
        try await dependencies.store.updateSchedule(updated)
        dependencies.schedules?.wake()
        context.logger.info("schedule \(paused ? "paused" : "resumed")", metadata: ["schedule_id": "\(updated.id)"])
        return success("schedule \(paused ? "paused" : "resumed")", try await view(updated))
    }

    @Sendable func delete(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let id = try context.requiredID()
        guard try await dependencies.store.deleteSchedule(id: id) else {
            throw HarmoniaError(.notFound, "no schedule with id \(id)")
        }
        dependencies.schedules?.wake()
        context.logger.info("schedule deleted", metadata: ["schedule_id": "\(id)"])
        return success("schedule deleted", ScheduleDeleted(scheduleID: id))
    }

    /// The run records, newest first (`limit`, default 50).
    @Sendable func runs(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let schedule = try await existing(context.requiredID())
        let limit = try request.integerQuery("limit", default: 50, range: 1...1000)
        let runs = try await lastRuns(schedule.id, limit: limit)
        return success("\(runs.count) run(s)", ScheduleRunList(scheduleID: schedule.id, runs: runs))
    }

    private func existing(_ id: String) async throws -> Schedule {
        guard let schedule = try await dependencies.store.schedule(id: id) else {
            throw HarmoniaError(.notFound, "no schedule with id \(id)")
        }
        return schedule
    }

    private func view(_ schedule: Schedule) async throws -> ScheduleView {
        ScheduleView(
            schedule, now: dependencies.engine.clock.now(), lastRuns: try await lastRuns(schedule.id, limit: Self.lastRunsShown))
    }

    private func lastRuns(_ id: String, limit: Int) async throws -> [ScheduleRun] {
        try await dependencies.store.scheduleRuns(scheduleID: id, limit: limit)
    }

    /// 404 as `POST /executions` answers for the same workflow id and version.
    private func checkWorkflow(_ schedule: Schedule) async throws {
        guard try await dependencies.store.workflow(id: schedule.workflowID, version: schedule.workflowVersion) == nil else {
            return
        }
        let version = schedule.workflowVersion.map { " version \($0)" } ?? ""
        throw HarmoniaError(.notFound, "no workflow with id \(schedule.workflowID)\(version)")
    }

    private func body(_ request: Request) async throws -> JSONValue {
        guard let body = try await request.jsonBody(maxBytes: dependencies.maxBodyBytes) else {
            throw HarmoniaError(.invalidRequest, "the request body is empty; send a schedule object")
        }
        return body
    }
}

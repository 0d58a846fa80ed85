import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaTestSupport
import Testing

/// An engine and schedule services on virtual time over one SQLite file: a service can be
/// stopped and a new one started over the same store, as a restart does.
struct ScheduleRig {
    let harness: EngineHarness
    let clock: ManualEngineClock

    init(start: String) async throws {
        let clock = ManualEngineClock(start: ISO8601DateFormatter().date(from: start)!)
        self.clock = clock
        harness = try await EngineHarness(clock: clock)
    }

    var store: any Store { harness.store }

    /// Runs `body` with the engine loop running and no schedule service.
    func run<T: Sendable>(_ body: (ScheduleRig) async throws -> T) async throws -> T {
        defer { harness.cleanUp() }
        return try await harness.run { _ in try await body(self) }
    }

    /// Runs a schedule service while `body` runs, then stops it (as a crash would).
    func withService<T: Sendable>(_ body: (ScheduleService) async throws -> T) async throws -> T {
        let service = ScheduleService(engine: harness.engine)
        let task = Task { try await service.run() }
        defer { task.cancel() }
        try await settled(service, after: 0)
        let result = try await body(service)
        task.cancel()
        _ = await task.result
        return result
    }

    /// Waits until `service` finished a pass after pass number `after` and sleeps.
    func settled(_ service: ScheduleService, after: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        await eventually("the schedule service finishes a pass", sourceLocation: sourceLocation) {
            let progress = service.currentProgress
            return progress.passes > after && progress.sleeping
        }
    }

    /// Moves virtual time to `date`, which must be the time the service sleeps until, and
    /// waits for the pass that follows.
    func advance(_ service: ScheduleService, to date: Date, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let progress = service.currentProgress
        #expect(progress.sleepingUntil == date, "the service sleeps until \(date)", sourceLocation: sourceLocation)
        clock.advance(by: date.timeIntervalSince(clock.now()))
        try await settled(service, after: progress.passes, sourceLocation: sourceLocation)
    }

    /// A pass after a change made through the store (as the API makes it, then wakes).
    func changed(_ service: ScheduleService) async throws {
        let before = service.currentProgress.passes
        service.wake()
        try await settled(service, after: before)
    }

    func save(_ tasks: [TaskDefinition], id: String = "wf") async throws -> WorkflowDefinition {
        try await harness.save(WorkflowDefinition(id: id, name: id, tasks: tasks))
    }

    /// Creates a schedule of `workflowID` from a request body, as `POST /schedules` does.
    @discardableResult
    func create(_ body: JSONValue) async throws -> Schedule {
        let schedule = try Schedule(draft: ScheduleDraft.decode(body), now: clock.now())
        try await store.createSchedule(schedule)
        return schedule
    }

    func runs(_ id: String) async throws -> [ScheduleRun] {
        try await store.scheduleRuns(scheduleID: id, limit: 1000).reversed()
    }

    func executions() async throws -> [ExecutionRecord] {
        try await store.listExecutions(status: nil, workflowID: nil, limit: 1000, offset: 0)
    }

    /// Waits (real time, polling with a deadline) until every execution has ended: a day
    /// apart, a nightly run has long finished before the next, but on virtual time the next
    /// due time comes at once, and under `overlap: skip` a run still finishing on a loaded
    /// machine would be skipped.
    func executionsEnded(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await eventually("every execution has ended", timeout: .seconds(60), sourceLocation: sourceLocation) {
            try await executions().allSatisfy { $0.status.isTerminal }
        }
    }

    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
}

/// A task that runs until canceled (an hour of real time), to keep an execution unfinished.
let longTask = TaskDefinition(id: "long", component: "harmonia", action: "sleep", input: ["seconds": 3600])

import Foundation
import HarmoniaCore
import Logging
import ServiceLifecycle
import Synchronization

/// Starts the executions of schedules when they come due.
///
/// One task, one timer: each pass reads the schedules, acts on those due (`SchedulePlan`
/// decides, `fire` starts or skips), and the task then sleeps on the engine's clock until
/// the earliest next due time, or until `wake()` (the API changed a schedule). The clock is
/// the engine's `EngineClock`, so tests drive schedules on virtual time.
///
/// Durability: a schedule's cursor (`nextDueAt`) moves only together with the record of the
/// run at the due time before it (`Store.recordScheduleRun`), and each execution is started
/// with the idempotency key `schedule:<id>:<due ms>`. A crash between the start and its
/// record therefore repeats the start after the restart, which finds the execution already
/// made instead of making another: no due run is lost or doubled.
public final class ScheduleService: Service, Sendable {
    public let store: any Store
    public let engine: Engine
    let clock: any EngineClock
    /// How late a due time may be acted on and still count as on time rather than missed.
    let lateness: Double
    /// How long to wait before trying again when the engine or the store refused a pass.
    let retryDelay: Double
    let logger: Logger
    let doorbell = Doorbell()
    private let progress = Mutex(Progress())

    /// What tests look at to know the service is idle.
    public struct Progress: Sendable, Hashable {
        /// Passes completed since the service started.
        public var passes = 0
        /// While sleeping, until when (nil: no schedule is due ever, or awake).
        public var sleepingUntil: Date?
        /// Whether the task is between passes, waiting.
        public var sleeping = false
    }

    /// - Parameters:
    ///   - lateness: a due time older than this when the service gets to it was missed
    ///     (the server was down): the missed-run policy applies. 60 s by default.
    public init(engine: Engine, lateness: Double = 60, retryDelay: Double = 1, logger: Logger = Logger(label: "harmonia.schedules")) {
        self.engine = engine
        self.store = engine.store
        self.clock = engine.clock
        self.lateness = lateness
        self.retryDelay = retryDelay
        self.logger = logger
    }

    public var currentProgress: Progress { progress.withLock { $0 } }

    /// Makes the service look at the schedules again now (after a create, change, resume).
    public func wake() { doorbell.ring() }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.loop() }
    }

    /// Passes and sleeps until canceled.
    private func loop() async {
        while !Task.isCancelled {
            let next: Date?
            do {
                next = try await self.pass()
            } catch is CancellationError {
                return
            } catch {
                logger.warning("schedule pass failed; trying again in \(retryDelay) s: \(error)")
                next = clock.now().addingTimeInterval(retryDelay)
            }
            progress.withLock { progress in
                progress.passes += 1
                progress.sleepingUntil = next
                progress.sleeping = true
            }
            await sleep(until: next)
            progress.withLock { progress in
                progress.sleeping = false
                progress.sleepingUntil = nil
            }
        }
    }

    /// Acts on every due schedule once; returns the earliest due time still ahead.
    @discardableResult
    public func pass() async throws -> Date? {
        var earliest: Date?
        func note(_ date: Date?) {
            guard let date else { return }
            earliest = earliest.map { min($0, date) } ?? date
        }
        var offset = 0
        let page = 500
        while true {
            let schedules = try await store.listSchedules(limit: page, offset: offset)
            for schedule in schedules {
                try Task.checkCancellation()
                switch SchedulePlan.plan(schedule, now: clock.now(), lateness: lateness) {
                case .wait(let until):
                    note(until)
                case .run(let dueAt, let missed, let next):
                    try await fire(schedule, dueAt: dueAt, missed: missed, next: next)
                    note(next)
                case .skipMissed(let count, let latest, let next):
                    logger.info(
                        "schedule \(schedule.id): \(count) run(s) missed while the server was down; not caught up (missed_runs: skip)")
                    let run = ScheduleRun(
                        scheduleID: schedule.id, dueAt: latest, recordedAt: clock.now(), outcome: .missed, missedCount: count,
                        reason: "the server was down at the due time(s); missed_runs is skip")
                    try await record(run, next: next)
                    note(next)
                }
            }
            guard schedules.count == page else { break }
            offset += page
        }
        return earliest
    }

    /// Sleeps until `date` on the engine's clock, or until woken or canceled.
    private func sleep(until date: Date?) async {
        await withTaskGroup(of: Void.self) { group in
            if let date {
                let clock = clock
                group.addTask { try? await clock.sleep(until: date) }
            }
            let doorbell = doorbell
            group.addTask { await doorbell.wait() }
            await group.next()
            group.cancelAll()
        }
    }
}

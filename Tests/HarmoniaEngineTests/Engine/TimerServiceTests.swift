import Foundation
import HarmoniaCore
import HarmoniaTestSupport
import Testing

@testable import HarmoniaEngine

/// The engine's one timer task, on virtual time: timers fire in due order, exactly when the
/// clock reaches them; disarmed and replaced armings never fire; an earlier arming wakes
/// the sleeping server.
@Suite("TimerService", .timeLimit(.minutes(1)))
struct TimerServiceTests {
    /// The timers the mailbox holds now, as "execution/timer".
    static func fired(_ mailbox: Mailbox<EngineInput>) -> [String] {
        mailbox.drain().compactMap { input in
            guard case .timer(let id, let timer) = input else { return nil }
            return "\(id)/\(timer)"
        }
    }

    @Test("timers fire in due order when the clock reaches them; disarmed ones never fire")
    func firesInOrderAndHonoursDisarm() async throws {
        let clock = ManualEngineClock()
        let mailbox = Mailbox<EngineInput>()
        let service = TimerService(mailbox: mailbox, clock: clock)
        let start = clock.now()
        service.arm(.workflowTimeout, executionID: "c", due: start.addingTimeInterval(3))
        service.arm(.workflowTimeout, executionID: "a", due: start.addingTimeInterval(1))
        service.arm(.workflowTimeout, executionID: "b", due: start.addingTimeInterval(2))
        service.arm(.retry(taskID: "t", attempt: 1), executionID: "b", due: start.addingTimeInterval(2.5))
        let server = Task { await service.run() }
        defer { server.cancel() }
        try #require(await eventually("the server sleeps until the first due time") { clock.armed([1]) })
        #expect(Self.fired(mailbox).isEmpty)

        clock.advance(by: 1)
        var seen: [String] = []
        try #require(await eventually("a fires") { seen += Self.fired(mailbox); return seen == ["a/workflowTimeout"] })
        service.disarmAll(executionID: "b")
        // Disarming wakes nobody: the server sleeps until b's (now stale) due time, skips it.
        try #require(await eventually("the server sleeps again") { clock.pendingDelays.count == 1 })
        clock.advance(by: 2)
        try #require(await eventually("c fires, b's never") { seen += Self.fired(mailbox); return seen.count == 2 })
        #expect(seen == ["a/workflowTimeout", "c/workflowTimeout"])
        #expect(service.count == 0)
    }

    @Test("an earlier arming wakes the sleeping server; re-arming replaces the old due time")
    func earlierArmingWakesTheServer() async throws {
        let clock = ManualEngineClock()
        let mailbox = Mailbox<EngineInput>()
        let service = TimerService(mailbox: mailbox, clock: clock)
        let start = clock.now()
        service.arm(.workflowTimeout, executionID: "late", due: start.addingTimeInterval(60))
        let server = Task { await service.run() }
        defer { server.cancel() }
        try #require(await eventually("the server sleeps for 60 s") { clock.armed([60]) })
        service.arm(.workflowTimeout, executionID: "soon", due: start.addingTimeInterval(5))
        try #require(await eventually("the server now sleeps for 5 s") { clock.armed([5]) })
        // Re-armed for later: its 5 s entry is stale and must not fire.
        service.arm(.workflowTimeout, executionID: "soon", due: start.addingTimeInterval(30))
        clock.advance(by: 10)
        try #require(await eventually("the server sleeps until 30 s") { clock.armed([20]) })
        #expect(Self.fired(mailbox).isEmpty)
        clock.advance(by: 20)
        var seen: [String] = []
        try #require(await eventually("soon fires at 30 s") { seen += Self.fired(mailbox); return seen == ["soon/workflowTimeout"] })
        #expect(service.count == 1)
    }
}

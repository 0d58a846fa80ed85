import Testing

@testable import HarmoniaPlugins

/// When a plugin host child is restarted, and when it is given up on.
@Suite(.timeLimit(.minutes(1)))
struct HostSupervisionTests {
    let settings = IsolationSettings(
        crashLimit: 3, crashWindow: .seconds(60), initialBackoff: .milliseconds(100), maxBackoff: .milliseconds(300))
    let t0 = ContinuousClock.now

    @Test func theFirstStartRegistersAndACrashRestartsAfterTheBackoff() {
        var machine = HostSupervision(settings: settings)
        let step1 = machine.started()
        #expect(step1 == [.register])
        let step2 = machine.ended(reason: "boom", now: t0)
        #expect(step2 == [.markUnavailable("boom; its plugin host restarts in 0.1 seconds"), .restart(after: .milliseconds(100))])
        #expect(machine.phase == .waiting)
        let step3 = machine.restarting()
        #expect(step3)
        let step4 = machine.restarting()
        #expect(!step4, "one restart per backoff")
        let step5 = machine.started()
        #expect(step5 == [.register])
    }

    @Test func theBackoffDoublesUpToItsLimit() {
        var machine = HostSupervision(settings: IsolationSettings(crashLimit: 10, initialBackoff: .milliseconds(100), maxBackoff: .milliseconds(300)))
        var delays: [Duration] = []
        _ = machine.started()
        for i in 0..<4 {
            for case .restart(let delay) in machine.ended(reason: "x", now: t0 + .seconds(i)) { delays.append(delay) }
            _ = machine.restarting()
            _ = machine.started()
        }
        #expect(delays == [.milliseconds(100), .milliseconds(200), .milliseconds(300), .milliseconds(300)])
    }

    @Test func aCrashLoopGivesUpUntilAReload() {
        var machine = HostSupervision(settings: settings)
        _ = machine.started()
        for i in 0..<2 {
            _ = machine.ended(reason: "x", now: t0 + .seconds(i))
            _ = machine.restarting()
            _ = machine.started()
        }
        let actions = machine.ended(reason: "killed by signal 11", now: t0 + .seconds(2))
        #expect(machine.phase == .gaveUp)
        guard case .markUnavailable(let reason) = actions.first, actions.count == 1 else {
            Issue.record("expected one markUnavailable, got \(actions)")
            return
        }
        #expect(reason.contains("killed by signal 11"))
        #expect(reason.contains("3 times within"))
        #expect(reason.contains("not restarted until a reload"))
        let step6 = machine.restarting()
        #expect(!step6)
        let step7 = machine.ended(reason: "again", now: t0 + .seconds(3))
        #expect(step7 == [])
    }

    @Test func crashesOutsideTheWindowDoNotCount() {
        var machine = HostSupervision(settings: settings)
        _ = machine.started()
        for i in 0..<6 {
            let actions = machine.ended(reason: "x", now: t0 + .seconds(61 * i))
            #expect(actions.count == 2, "crash \(i) is alone in its window: \(actions)")
            _ = machine.restarting()
            _ = machine.started()
        }
    }

    @Test func aRetiredHostIsNeitherRestartedNorRegistered() {
        var machine = HostSupervision(settings: settings)
        _ = machine.started()
        let step8 = machine.retire()
        #expect(step8 == [.stop])
        let step9 = machine.retire()
        #expect(step9 == [])
        let step10 = machine.ended(reason: "x", now: t0)
        #expect(step10 == [])
        let step11 = machine.started()
        #expect(step11 == [.stop])
    }

    @Test func aStartThatFailsCountsAsAnEnd() {
        var machine = HostSupervision(settings: settings)
        let step12 = machine.ended(reason: "could not start", now: t0)
        #expect(step12.count == 2)
    }
}

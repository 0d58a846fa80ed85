import Testing

@testable import HarmoniaDiscovery

struct RegistrationMachineTests {
    let token = HermesToken(#"{"component_id": "harmonia",  "sig": "a \"b\""}"#)

    struct Next: Equatable {
        var step: RegistrationMachine.Step
        var delay: Duration
    }

    func next(_ machine: RegistrationMachine) -> Next {
        let next = machine.next(random: 0)
        return Next(step: next.step, delay: next.delay)
    }

    func makeMachine() -> RegistrationMachine {
        RegistrationMachine(
            heartbeatInterval: .seconds(30), backoff: Backoff(initial: .milliseconds(500), maximum: .seconds(8), jitter: 0))
    }

    @Test func startsByRegisteringAtOnce() {
        let machine = makeMachine()
        #expect(next(machine) == Next(step: .register, delay: .zero))
        #expect(!machine.isRegistered)
    }

    @Test func heartbeatsAtTheIntervalOnceRegistered() {
        var machine = makeMachine()
        machine.registered(token)
        #expect(next(machine) == Next(step: .heartbeat(token), delay: .seconds(30)))
        #expect(machine.isRegistered)
        machine.heartbeatSucceeded()
        #expect(next(machine) == Next(step: .heartbeat(token), delay: .seconds(30)))
    }

    @Test func registersAgainAtOnceAfter401() {
        var machine = makeMachine()
        machine.registered(token)
        machine.heartbeatRejected()
        #expect(next(machine) == Next(step: .register, delay: .zero))
        #expect(machine.token == nil)
        #expect(!machine.isRegistered)
    }

    /// A restarted Hermes still accepts the old token, so only the registry tells.
    @Test func registersAgainAtOnceWhenTheRegistryNoLongerListsUs() {
        var machine = makeMachine()
        let before = machine.notListed()
        #expect(!before, "nothing to do before the first registration")
        #expect(next(machine) == Next(step: .register, delay: .zero))
        machine.registered(token)
        machine.heartbeatSucceeded()
        let after = machine.notListed()
        #expect(after)
        #expect(next(machine) == Next(step: .register, delay: .zero))
        #expect(machine.token == nil)
        #expect(!machine.isRegistered)
    }

    @Test func backsOffExponentiallyWhileRegistrationFails() {
        var machine = makeMachine()
        var delays: [Duration] = []
        for _ in 0..<7 {
            machine.registrationFailed()
            delays.append(machine.next(random: 0).delay)
        }
        #expect(delays == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(8), .seconds(8)])
        machine.registered(token)
        #expect(machine.failures == 0)
    }

    /// A restarted Hermes forgets its registry but accepts the old token, so once
    /// heartbeats have failed the next contact is a registration (the old token is kept
    /// only to unregister with).
    @Test func registersAgainSoonerOnceHeartbeatsCouldNotReachHermes() {
        var machine = makeMachine()
        machine.registered(token)
        machine.heartbeatFailed()
        #expect(next(machine) == Next(step: .register, delay: .milliseconds(500)))
        #expect(!machine.isRegistered)
        #expect(machine.token == token)
        for _ in 0..<10 { machine.registrationFailed() }
        #expect(machine.next(random: 0).delay == .seconds(8))
        #expect(machine.token == token)
        let fresh = HermesToken("fresh")
        machine.registered(fresh)
        #expect(machine.isRegistered)
        #expect(machine.token == fresh)
        #expect(next(machine) == Next(step: .heartbeat(fresh), delay: .seconds(30)))
        let listedAgain = machine.notListed()
        #expect(listedAgain, "a registered machine registers again when not listed")
    }

    @Test func retryDelayNeverExceedsTheHeartbeatInterval() {
        var machine = RegistrationMachine(
            heartbeatInterval: .milliseconds(50), backoff: Backoff(initial: .seconds(1), maximum: .seconds(30), jitter: 0))
        machine.registered(token)
        machine.heartbeatFailed()
        #expect(machine.next(random: 0).delay == .milliseconds(50))
    }
}

struct BackoffTests {
    @Test func jitterStaysWithinTenPercent() {
        let backoff = Backoff(initial: .seconds(1), maximum: .seconds(10))
        let high = backoff.delay(afterFailures: 1, random: 1)
        let low = backoff.delay(afterFailures: 1, random: -1)
        #expect(high > .milliseconds(1099) && high < .milliseconds(1101))
        #expect(low > .milliseconds(899) && low < .milliseconds(901))
        #expect(backoff.delay(afterFailures: 0) == .zero)
    }

    @Test func hugeFailureCountsStayCapped() {
        let backoff = Backoff(initial: .milliseconds(1), maximum: .seconds(5), jitter: 0)
        #expect(backoff.delay(afterFailures: 10_000) == .seconds(5))
    }
}

struct HermesTokenTests {
    @Test func descriptionNeverShowsTheToken() {
        let token = HermesToken(#"{"secret": "s3cr3t"}"#)
        #expect(!"\(token)".contains("s3cr3t"))
        #expect(!String(reflecting: token).contains("s3cr3t"))
    }
}

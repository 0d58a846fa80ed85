import Foundation
import HarmoniaCore
import Logging
import ServiceLifecycle
import Synchronization

/// Keeps Harmonia registered with Hermes for as long as it runs, then unregisters.
///
/// Registers under a stable component id, heartbeats with the token every
/// `heartbeatInterval`, registers again on 401 (an expired token) and whenever Hermes'
/// registry, as the discovery poll reads it, no longer lists Harmonia (a Hermes restart:
/// the real Hermes forgets its registry but keeps accepting the old token, so heartbeats
/// never tell), backs off exponentially while Hermes is unreachable, and on graceful
/// shutdown unregisters with the token. It never blocks start-up: it is one more
/// service in the group, and the server answers whether or not Hermes does.
public final class HermesRegistrationService: Service, Sendable {
    let client: HermesClient
    let configuration: HermesConfiguration
    /// Produces the registration once Harmonia's endpoint is known (with `--port 0`, only
    /// after the server listens); awaited before the first attempt.
    let registration: @Sendable () async throws -> HermesRegistration
    let logger: Logger
    private let state = Mutex(RegistrationStatus())
    /// Set when the registry no longer lists us; the loop takes it before its next step.
    private let relist = Mutex<String?>(nil)
    /// When the latest registration was sent: a registry read that started before it may
    /// predate it, so it proves nothing about our entry.
    private let lastRegistration = Mutex<ContinuousClock.Instant?>(nil)
    private let wake = WakeSignal()

    public init(
        client: HermesClient, configuration: HermesConfiguration,
        registration: @escaping @Sendable () async throws -> HermesRegistration,
        logger: Logger = Logger(label: "harmonia.hermes")
    ) {
        self.client = client
        self.configuration = configuration
        self.registration = registration
        self.logger = logger
    }

    /// Whether Harmonia is registered and Hermes answered the latest heartbeat: `/health`'s `registered`.
    public var isRegistered: Bool { state.withLock { $0.registered } }

    public var status: RegistrationStatus { state.withLock { $0 } }

    /// What a read of Hermes' registry (`GET /api/components`) that began at `startedAt`
    /// showed: whether it lists `componentID`. When it does not, and the read began after
    /// our latest registration, Harmonia is not registered whatever the heartbeats say:
    /// `/health` says so at once and the loop registers again without waiting.
    public func registryRead(lists listed: Bool, startedAt: ContinuousClock.Instant) {
        guard !listed else { return }
        guard let registered = lastRegistration.withLock({ $0 }), startedAt > registered else { return }
        let wasRegistered = state.withLock { state -> Bool in
            defer {
                state.registered = false
                state.lastError = "Hermes' registry no longer lists this component"
            }
            return state.registered
        }
        relist.withLock { $0 = "Hermes' registry no longer lists this component" }
        wake.signal()
        if wasRegistered {
            logger.notice(
                "Hermes no longer lists Harmonia (Hermes restarted?); registering again",
                metadata: ["hermes": "\(client.baseURL)"])
        }
    }

    public func run() async throws {
        guard let registration = try? await cancelWhenGracefulShutdown({ try await self.registration() }) else {
            return
        }
        var machine = RegistrationMachine(
            heartbeatInterval: configuration.heartbeatInterval,
            backoff: Backoff(initial: configuration.initialBackoff, maximum: configuration.maxBackoff))
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            takeRelist(&machine)
            let (step, delay) = machine.next()
            if delay > .zero {
                // Returns early on a signal, on cancellation or at graceful shutdown.
                await cancelWhenGracefulShutdown { await self.wake.wait(for: delay) }
                if Task.isShuttingDownGracefully || Task.isCancelled { break }
                // Woken early: the registry may have dropped us while we slept.
                if takeRelist(&machine) { continue }
            }
            if Task.isShuttingDownGracefully || Task.isCancelled { break }
            await perform(step, registration: registration, machine: &machine)
        }
        await unregister(machine.token, componentID: registration.componentID)
    }

    /// Applies a pending "not listed" observation; true if the machine changed.
    @discardableResult
    private func takeRelist(_ machine: inout RegistrationMachine) -> Bool {
        guard relist.withLock({ value in defer { value = nil }; return value }) != nil else { return false }
        return machine.notListed()
    }

    private func perform(_ step: RegistrationMachine.Step, registration: HermesRegistration, machine: inout RegistrationMachine) async {
        switch step {
        case .register:
            do {
                let grant = try await client.register(registration)
                // Stamped on the answer: a registry read begun after it must list us.
                lastRegistration.withLock { $0 = .now }
                machine.registered(grant.token)
                let count = state.withLock { state -> Int in
                    state.registrations += 1
                    state.registered = true
                    state.lastContact = Date()
                    state.failures = 0
                    state.lastError = nil
                    return state.registrations
                }
                logger.info(
                    "registered with Hermes",
                    metadata: ["hermes": "\(client.baseURL)", "component_id": "\(grant.componentID)", "registrations": "\(count)"])
            } catch {
                machine.registrationFailed()
                failed(error, during: "registration", failures: machine.failures)
            }
        case .heartbeat(let token):
            do {
                try await client.heartbeat(componentID: registration.componentID, token: token)
                machine.heartbeatSucceeded()
                let recovered = state.withLock { state -> Bool in
                    defer {
                        state.registered = true
                        state.lastContact = Date()
                        state.failures = 0
                        state.lastError = nil
                    }
                    return state.lastError != nil
                }
                if recovered { logger.info("Hermes answers heartbeats again", metadata: ["hermes": "\(client.baseURL)"]) }
            } catch let error as HarmoniaError where error.code == .hermesUnauthorized {
                machine.heartbeatRejected()
                state.withLock {
                    $0.registered = false
                    $0.lastError = error.message
                }
                logger.info(
                    "Hermes refused the heartbeat token (expired, or Hermes restarted); registering again",
                    metadata: ["hermes": "\(client.baseURL)"])
            } catch {
                machine.heartbeatFailed()
                failed(error, during: "heartbeat", failures: machine.failures)
            }
        }
    }

    /// Logs the first failure of a streak as a warning and the rest at debug level, so a
    /// Hermes that is down for an hour does not flood the log.
    private func failed(_ error: any Error, during what: String, failures: Int) {
        let message = (error as? HarmoniaError)?.message ?? String(describing: error)
        state.withLock {
            $0.registered = false
            $0.failures = failures
            $0.lastError = message
        }
        let level: Logger.Level = failures == 1 ? .warning : .debug
        logger.log(
            level: level, "Hermes \(what) failed; retrying with backoff",
            metadata: ["error": "\(message)", "failures": "\(failures)"])
    }

    /// Best effort, bounded by `unregisterTimeout`: shutdown must not hang on Hermes.
    private func unregister(_ token: HermesToken?, componentID: String) async {
        defer { state.withLock { $0.registered = false } }
        guard let token else { return }
        let client = HermesClient(url: client.baseURL, httpClient: client.httpClient, timeout: configuration.unregisterTimeout)
        do {
            try await client.unregister(componentID: componentID, token: token)
            logger.info("unregistered from Hermes", metadata: ["hermes": "\(client.baseURL)"])
        } catch {
            let message = (error as? HarmoniaError)?.message ?? String(describing: error)
            logger.warning("could not unregister from Hermes", metadata: ["error": "\(message)"])
        }
    }
}

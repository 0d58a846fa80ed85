import Foundation
import HarmoniaCore
import Logging
import Synchronization

extension DiscoveryReconciler {
    func pass(retryFailed: Bool) async {
        let view = await poll()
        let desired = ReconcilePlan.desired(hermes: view, statics: statics)
        await checkHealth(of: desired.values.filter { $0.source == .hermes })
        let fingerprint = provisioner.fingerprint
        let (applied, filesChanged) = state.withLock { state in
            defer { state.fingerprint = fingerprint }
            return (state.applied, fingerprint != nil && fingerprint != state.fingerprint)
        }
        let retry = retryFailed || filesChanged
        // Left out of `current`, a component is planned as new: failed ones when retrying,
        // and those whose adapter came from a plugin version no longer in service.
        let current = applied.filter { _, applied in
            guard applied.available else { return !retry }
            return applied.adapter.map { provisioner.isCurrent($0) } ?? true
        }.mapValues(\.desired)
        for change in ReconcilePlan.changes(current: current, desired: desired) {
            await apply(change)
        }
        applyHealth()
        state.withLock { $0.status.passes += 1 }
    }

    /// Probes every Hermes-listed component at once and records the outcomes by name.
    private func checkHealth(of listed: [DesiredComponent]) async {
        guard let probe else { return }
        let results = await withTaskGroup(of: (String, String?).self) { group in
            for component in listed {
                group.addTask { (component.name, await probe.check(endpoint: component.endpoint)) }
            }
            var results: [String: String?] = [:]
            for await (name, failure) in group { results[name] = failure }
            return results
        }
        state.withLock { state in
            state.health = results
            state.healthFailures = results.reduce(into: [:]) { counts, result in
                counts[result.key] = result.value == nil ? 0 : (state.healthFailures[result.key] ?? 0) + 1
            }
        }
    }

    /// Brings each served Hermes component in line with its latest health check: one that
    /// stopped answering is marked unavailable (its tasks wait with the reason), one that
    /// answers again gets its adapter back (the engine then dispatches its waiting tasks).
    private func applyHealth() {
        let transitions = state.withLock { state -> [(String, Applied)] in
            var changed: [(String, Applied)] = []
            for (name, applied) in state.applied where applied.available && applied.desired.source == .hermes {
                let failure = state.health[name] ?? nil
                var reason = failure.map { "\(name) is listed in Hermes but does not answer: \($0)" }
                // A served component stays served until enough checks in a row failed.
                if applied.unhealthy == nil, reason != nil,
                    state.healthFailures[name, default: 0] < Self.unhealthyAfterFailures
                {
                    reason = nil
                }
                guard reason != applied.unhealthy else { continue }
                state.applied[name]?.unhealthy = reason
                changed.append((name, state.applied[name]!))
            }
            return changed.sorted { $0.0 < $1.0 }
        }
        for (name, applied) in transitions {
            if let reason = applied.unhealthy {
                registry.markUnavailable(component: name, reason: reason)
                logger.notice("component is unavailable: it does not answer its health check", metadata: ["component": "\(name)", "reason": "\(reason)"])
            } else if let adapter = applied.adapter {
                registry.register(adapter)
                logger.info("component answers its health check again", metadata: ["component": "\(name)"])
            }
        }
    }

    /// Hermes' components, mapped; on failure the last answer (nil if there never was one).
    private func poll() async -> [String: DiscoveredComponent]? {
        guard let client else { return nil }
        let started = ContinuousClock.now
        do {
            let entries = try await client.components()
            registryObserver.withLock { $0 }?(Set(entries.map(\.componentID)), started)
            let view = resolver.resolve(entries)
            let recovered = state.withLock { state -> Bool in
                defer {
                    state.hermesView = view
                    state.pollFailures = 0
                    state.status.hermesReachable = true
                    state.status.lastPoll = Date()
                    state.status.lastError = nil
                }
                return state.pollFailures > 0
            }
            if recovered { logger.info("Hermes answers again", metadata: ["hermes": "\(client.baseURL)"]) }
            return view
        } catch {
            let message = (error as? HarmoniaError)?.message ?? String(describing: error)
            let (view, failures) = state.withLock { state in
                state.pollFailures += 1
                state.status.hermesReachable = false
                state.status.lastError = message
                return (state.hermesView, state.pollFailures)
            }
            logger.log(
                level: failures == 1 ? .warning : .debug,
                "cannot read Hermes' component registry; keeping the components known so far",
                metadata: ["error": "\(message)", "failures": "\(failures)"])
            return view
        }
    }

    private func apply(_ change: ReconcilePlan.Change) async {
        switch change {
        case .load(let desired), .reconfigure(let desired):
            await provision(desired, replacing: { if case .reconfigure = change { true } else { false } }())
        case .relabel(let desired):
            state.withLock { $0.applied[desired.name]?.desired = desired }
        case .remove(let name):
            let departed = state.withLock { state -> ComponentStatus? in
                guard let applied = state.applied.removeValue(forKey: name) else { return nil }
                let reason =
                    applied.desired.source == .hermes
                    ? "no longer registered with Hermes" : "no longer configured"
                let status = ComponentStatus(
                    name: name, source: applied.desired.source, endpoint: applied.desired.endpoint, available: false,
                    pluginFile: applied.pluginFile, version: applied.version, reason: reason,
                    componentID: applied.desired.discovered?.componentID,
                    componentVersion: applied.desired.discovered?.version,
                    registeredAt: applied.desired.discovered?.registeredAt)
                state.departed[name] = status
                return status
            }
            // Known but unavailable: its tasks wait (with the reason) until it returns.
            registry.markUnavailable(component: name, reason: "\(name) is \(departed?.reason ?? "gone")")
            logger.notice(
                "component is unavailable: \(departed?.reason ?? "removed")",
                metadata: ["component": "\(name)"])
        }
    }

    /// Builds and registers the component's adapter; on failure the component is shown
    /// unavailable with the reason (and a moved component's stale adapter is taken out).
    private func provision(_ desired: DesiredComponent, replacing: Bool) async {
        let request = ProvisionRequest(component: desired.name, endpoint: desired.endpoint, source: desired.source)
        do {
            let provisioned = try await provisioner.makeAdapter(request)
            let failure = state.withLock { state -> String? in
                guard desired.source == .hermes, let failure = state.health[desired.name] ?? nil else { return nil }
                return "\(desired.name) is listed in Hermes but does not answer: \(failure)"
            }
            // A component that does not answer is never offered to the engine, not even for
            // the moment between loading its adapter and the health pass.
            if let failure {
                registry.markUnavailable(component: desired.name, reason: failure)
            } else {
                registry.register(provisioned.adapter)
            }
            state.withLock { state in
                state.departed[desired.name] = nil
                state.applied[desired.name] = Applied(
                    desired: desired, available: true, adapter: provisioned.adapter, pluginFile: provisioned.pluginFile,
                    version: provisioned.version, unhealthy: failure)
            }
            let metadata: Logger.Metadata = [
                "component": "\(desired.name)", "endpoint": "\(desired.endpoint)",
                "source": "\(desired.source.rawValue)", "plugin": "\(provisioned.pluginFile ?? "built in")",
            ]
            if let failure {
                logger.notice(
                    "component is unavailable: it does not answer its health check",
                    metadata: metadata.merging(["reason": "\(failure)"]) { $1 })
            } else {
                logger.info("\(replacing ? "reconfigured" : "serving") component", metadata: metadata)
            }
        } catch {
            let reason = (error as? HarmoniaError)?.message ?? String(describing: error)
            if (error as? HarmoniaError)?.code == .componentUnavailable {
                // Nothing can serve it: unknown, so its tasks fail at once with a clear code.
                registry.unregister(component: desired.name)
            } else {
                // A plugin exists but refused (configuration, init): its tasks wait, with the reason.
                registry.markUnavailable(component: desired.name, reason: "\(desired.name) is unavailable: \(reason)")
            }
            state.withLock { state in
                state.departed[desired.name] = nil
                state.applied[desired.name] = Applied(desired: desired, available: false, reason: reason)
            }
            logger.warning(
                "no adapter for component",
                metadata: ["component": "\(desired.name)", "endpoint": "\(desired.endpoint)", "reason": "\(reason)"])
        }
    }
}

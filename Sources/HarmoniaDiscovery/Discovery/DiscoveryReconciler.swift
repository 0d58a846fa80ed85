import Foundation
import HarmoniaCore
import HarmoniaPlugins
import Logging
import ServiceLifecycle
import Synchronization

/// Lets Hermes choose the adapters: polls `GET /api/components`, maps the entries to
/// component names, and keeps the engine's `AdapterRegistry` in line — loading a
/// component's adapter when it first appears, rebuilding it when its endpoint changes,
/// and marking it unavailable when it disappears (its tasks then wait, with the reason,
/// until it returns or their timeout passes).
///
/// A component Hermes lists is served only while its own `GET /health` answers (checked on
/// every pass, through `probe`): Tekton's components stay listed after they die, because
/// Hermes refuses their token-less heartbeats. While it does not answer, its tasks wait
/// with the reason and resume when it answers again.
///
/// Every successful read of the registry is also reported to `observeRegistry`'s observer
/// with the ids it lists, so registration can tell that a restarted Hermes forgot Harmonia.
///
/// Configured components (`statics`) are the fallback: served from the start, and whenever
/// Hermes is not configured, not reachable yet, or does not list them. While Hermes is
/// unreachable after having answered, its last answer stands: a Hermes restart must not
/// make every component unavailable for a poll interval.
///
/// The reconciler only registers and unregisters the components it manages; the built-in
/// `harmonia` component and Harmonia's own Hermes entry are never touched.
public final class DiscoveryReconciler: Service, Sendable {
    let client: HermesClient?
    let registry: AdapterRegistry
    let provisioner: any AdapterProvisioner
    let statics: [StaticComponent]
    let pollInterval: Duration
    let resolver: ComponentResolver
    let logger: Logger
    let gate = AsyncGate()
    /// Checks Hermes-listed components; nil trusts the listing (tests of the plan alone).
    let probe: (any ComponentHealthProbe)?
    /// Told the component ids of every registry read, with when the read began.
    let registryObserver = Mutex<(@Sendable (Set<String>, ContinuousClock.Instant) -> Void)?>(nil)

    /// A component the reconciler manages, with the outcome of its latest load.
    struct Applied: Sendable {
        var desired: DesiredComponent
        var available: Bool
        /// The adapter registered for it, to tell when its plugin version was superseded.
        var adapter: (any ComponentAdapter)?
        var pluginFile: String?
        var version: String?
        var reason: String?
        /// Why its `/health` did not answer at the latest check; nil while it does.
        var unhealthy: String?

        /// Tasks may run: the adapter was built and the component answers.
        var serving: Bool { available && unhealthy == nil }
    }

    struct State: Sendable {
        var applied: [String: Applied] = [:]
        /// Components that were served and disappeared, shown as unavailable until they return.
        var departed: [String: ComponentStatus] = [:]
        /// Hermes' latest answer, mapped; nil until Hermes answers once.
        var hermesView: [String: DiscoveredComponent]?
        var status = DiscoveryStatus()
        /// Consecutive failed polls, to log the first one loudly and the rest quietly.
        var pollFailures = 0
        /// The provisioner's fingerprint at the latest pass: when it changes (a plugin file
        /// appeared), the components nothing could serve are tried again.
        var fingerprint: Int?
        /// The latest health check of each Hermes-listed component, by name: nil answered.
        var health: [String: String?] = [:]
        /// Consecutive failed health checks of each Hermes-listed component.
        var healthFailures: [String: Int] = [:]
    }

    /// Failed health checks in a row that take a served component out. One is enough to
    /// keep a component that was never seen healthy from being served, but a served one
    /// is not dropped for one slow answer on a loaded machine (its in-flight calls would
    /// be unaffected, while its next tasks would wait a poll interval for nothing).
    static let unhealthyAfterFailures = 2

    let state: Mutex<State>

    /// - Parameters:
    ///   - client: Hermes; nil serves `statics` only.
    ///   - selfComponentID: Harmonia's own Hermes id, ignored in the registry.
    ///   - environment: read for `<NAME>_HOST` overrides.
    public init(
        client: HermesClient?, registry: AdapterRegistry, provisioner: any AdapterProvisioner,
        statics: [StaticComponent] = [], pollInterval: Duration = .seconds(10), selfComponentID: String = "harmonia",
        environment: [String: String] = ProcessInfo.processInfo.environment, probe: (any ComponentHealthProbe)? = nil,
        logger: Logger = Logger(label: "harmonia.discovery")
    ) {
        self.probe = probe
        self.client = client
        self.registry = registry
        self.provisioner = provisioner
        self.statics = statics
        self.pollInterval = pollInterval
        let known = TektonComponents.names.union(provisioner.knownComponents).union(statics.map(\.name))
        self.resolver = ComponentResolver(known: known, selfComponentID: selfComponentID, environment: environment)
        self.logger = logger
        self.state = Mutex(State(status: DiscoveryStatus(hermesReachable: client == nil ? nil : false)))
    }

    /// Every managed component, sorted by name: for `/api/v1/components`.
    public var components: [ComponentStatus] {
        state.withLock { state in
            let served = state.applied.values.map { applied in
                ComponentStatus(
                    name: applied.desired.name, source: applied.desired.source, endpoint: applied.desired.endpoint,
                    available: applied.serving, pluginFile: applied.pluginFile, version: applied.version,
                    reason: applied.unhealthy ?? applied.reason, componentID: applied.desired.discovered?.componentID,
                    componentVersion: applied.desired.discovered?.version,
                    registeredAt: applied.desired.discovered?.registeredAt)
            }
            return (served + state.departed.values).sorted { $0.name < $1.name }
        }
    }

    /// The status of one component, if the reconciler knows it.
    public func component(named name: String) -> ComponentStatus? {
        components.first { $0.name == name.lowercased() }
    }

    public var status: DiscoveryStatus { state.withLock { $0.status } }

    /// Calls `observer` after every successful read of Hermes' registry with the component
    /// ids it listed and the instant the read began.
    public func observeRegistry(_ observer: @escaping @Sendable (Set<String>, ContinuousClock.Instant) -> Void) {
        registryObserver.withLock { $0 = observer }
    }

    /// Reconciles at once, then every `pollInterval` until graceful shutdown. Without
    /// Hermes, one pass serves the configured components and the service idles.
    public func run() async throws {
        expectComponents()
        await reconcile()
        guard client != nil else {
            try? await gracefulShutdown()
            return
        }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: self.pollInterval) }
            } catch {
                break
            }
            if Task.isShuttingDownGracefully || Task.isCancelled { break }
            await reconcile()
        }
    }

    /// With Hermes, the components a plugin is expected to serve are known from the start
    /// (as unavailable until they register), so a task submitted before its component
    /// registers waits for it instead of failing as unknown. Hermes chooses: a plugin
    /// adapter that a start-up scan registered for a component without a configured
    /// endpoint is taken out too, until Hermes lists the component. Configured components
    /// wait for the first pass, which loads their plugins (nothing is loaded at start-up).
    ///
    /// Idempotent; `run()` calls it, and the server calls it before it binds its port.
    package func expectComponents() {
        guard client != nil else { return }
        let configured = Set(statics.map(\.name))
        for name in provisioner.knownComponents.subtracting(configured).sorted() where name != "harmonia" {
            if let adapter = registry.adapter(for: name), !(adapter is PluginAdapter) { continue }
            registry.markUnavailable(component: name, reason: "\(name) has not registered with Hermes yet")
        }
        let served = state.withLock { Set($0.applied.keys) }
        for name in configured.subtracting(served).sorted() where registry.adapter(for: name) == nil {
            registry.markUnavailable(component: name, reason: "\(name)'s adapter has not been loaded yet")
        }
    }

    /// One pass: poll Hermes (if configured), then load, rebuild or remove adapters.
    /// Passes never interleave. `retryFailed` also retries components whose adapter could
    /// not be built at an unchanged endpoint (a plugin installed since, for example); a pass
    /// does that by itself when the provisioner's fingerprint changed. Adapters built from a
    /// plugin version a reload has superseded are rebuilt from the version in service.
    public func reconcile(retryFailed: Bool = false) async {
        await gate.run { await self.pass(retryFailed: retryFailed) }
    }
}

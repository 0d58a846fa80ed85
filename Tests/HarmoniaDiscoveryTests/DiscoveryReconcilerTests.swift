import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaTestSupport
import Testing

@testable import HarmoniaDiscovery

/// The reconciler against the Hermes double, polling every 50 ms. Requests to the double
/// get a long timeout: on a loaded machine a slow answer must not pass for Hermes being down.
@Suite(.timeLimit(.minutes(1)))
struct DiscoveryReconcilerTests {
    static let poll = Duration.milliseconds(50)

    func reconciler(
        _ url: String?, registry: AdapterRegistry, provisioner: RecordingProvisioner,
        statics: [StaticComponent] = [], environment: [String: String] = [:]
    ) -> DiscoveryReconciler {
        DiscoveryReconciler(
            client: url.map { HermesClient(url: $0, timeout: .seconds(30)) }, registry: registry,
            provisioner: provisioner, statics: statics, pollInterval: Self.poll, environment: environment,
            logger: quietLogger)
    }

    func endpoint(_ registry: AdapterRegistry, _ component: String) -> String? {
        (registry.adapter(for: component) as? EndpointAdapter)?.endpoint
    }

    @Test func aComponentAppearsMovesDisappearsAndReturns() async throws {
        try await withHermes { hermes in
            let registry = AdapterRegistry()
            let provisioner = RecordingProvisioner()
            let timing = TimingProvisioner(provisioner)
            let discovery = DiscoveryReconciler(
                client: HermesClient(url: hermes.url, timeout: .seconds(30)), registry: registry, provisioner: timing,
                pollInterval: Self.poll, environment: [:], logger: quietLogger)
            try await withServices([discovery]) { _ in
                await eventually("a first poll") { discovery.status.passes >= 1 }
                #expect(registry.all.isEmpty)
                #expect(discovery.components.isEmpty)
                // Components a plugin is expected to serve are known: their tasks wait for them.
                #expect(registry.unavailableComponents["engram"] == "engram has not registered with Hermes yet")
                #expect(provisioner.requests.isEmpty, "nothing is loaded before a component appears")

                let id = hermes.registerComponent(name: "engram", endpoint: "http://localhost:8000")
                let appeared = ContinuousClock.now
                await eventually("engram's adapter is registered") { endpoint(registry, "engram") != nil }
                expectLoadedByFirstPoll("engram", registered: appeared, hermes: hermes, provisioner: timing)
                #expect(endpoint(registry, "engram") == "http://localhost:8000")
                let status = try #require(discovery.component(named: "engram"))
                #expect(status.source == .hermes && status.available && status.componentID == id)
                #expect(status.pluginFile == "/plugins/libengram.so" && status.version == "1.0.0")

                hermes.registerComponent(name: "engram", endpoint: "http://localhost:8100", componentID: id)
                await eventually("engram's adapter follows the new endpoint") {
                    endpoint(registry, "engram") == "http://localhost:8100"
                }
                #expect(provisioner.requests(for: "engram").count == 2)

                hermes.unregisterComponent(id: id)
                await eventually("engram's adapter is removed") { registry.adapter(for: "engram") == nil }
                #expect(registry.unavailableComponents["engram"] == "engram is no longer registered with Hermes")
                let gone = try #require(discovery.component(named: "engram"))
                #expect(!gone.available && gone.reason == "no longer registered with Hermes")

                hermes.registerComponent(name: "engram", endpoint: "http://localhost:8000")
                await eventually("engram is back") { endpoint(registry, "engram") == "http://localhost:8000" }
                #expect(discovery.component(named: "engram")?.available == true)
            }
        }
    }

    @Test func hostVariableOverridesTheRegisteredLocalhost() async throws {
        try await withHermes { hermes in
            let registry = AdapterRegistry()
            let discovery = reconciler(
                hermes.url, registry: registry, provisioner: RecordingProvisioner(),
                environment: ["ENGRAM_HOST": "engram.internal"])
            hermes.registerComponent(name: "Engram", endpoint: "http://localhost:8000")
            await discovery.reconcile()
            #expect(endpoint(registry, "engram") == "http://engram.internal:8000")
            #expect(discovery.component(named: "engram")?.endpoint == "http://engram.internal:8000")
        }
    }

    @Test func newestRegistrationOfANameWins() async throws {
        try await withHermes { hermes in
            let registry = AdapterRegistry()
            let discovery = reconciler(hermes.url, registry: registry, provisioner: RecordingProvisioner())
            let now = Date()
            hermes.registerComponent(name: "engram", endpoint: "http://new:8000", registeredAt: now)
            hermes.registerComponent(name: "engram", endpoint: "http://old:8000", registeredAt: now - 60)
            await discovery.reconcile()
            #expect(endpoint(registry, "engram") == "http://new:8000")
        }
    }

    @Test func harmoniaAndUnknownComponentsAreNotLoaded() async throws {
        try await withHermes { hermes in
            let registry = AdapterRegistry()
            let provisioner = RecordingProvisioner()
            let discovery = reconciler(hermes.url, registry: registry, provisioner: provisioner)
            hermes.registerComponent(name: "harmonia", endpoint: "http://localhost:8007", componentID: "harmonia")
            hermes.registerComponent(name: "Mystery", endpoint: "http://localhost:9999")
            await discovery.reconcile()
            #expect(provisioner.requests.isEmpty)
            #expect(discovery.components.isEmpty)
        }
    }

    @Test func aComponentWithoutAPluginIsShownUnavailableAndNotReloadedEveryPoll() async throws {
        try await withHermes { hermes in
            let registry = AdapterRegistry()
            let provisioner = RecordingProvisioner(failing: ["terma"])
            let discovery = reconciler(hermes.url, registry: registry, provisioner: provisioner)
            hermes.registerComponent(name: "terma", endpoint: "http://localhost:8004")
            await discovery.reconcile()
            await discovery.reconcile()
            let status = try #require(discovery.component(named: "terma"))
            #expect(!status.available && status.reason == "no plugin serves 'terma'")
            #expect(provisioner.requests(for: "terma").count == 1)
            #expect(registry.unavailableComponents["terma"] == "terma is unavailable: no plugin serves 'terma'")
            provisioner.setFailing([])
            await discovery.reconcile(retryFailed: true)
            #expect(discovery.component(named: "terma")?.available == true)
            #expect(registry.adapter(for: "terma") != nil)
        }
    }

    @Test func withoutHermesTheConfiguredComponentsAreServed() async throws {
        let registry = AdapterRegistry()
        let discovery = reconciler(
            nil, registry: registry, provisioner: RecordingProvisioner(),
            statics: [StaticComponent(name: "ergon", endpoint: "http://localhost:8002")])
        try await withServices([discovery]) { _ in
            await eventually("ergon is served from the configuration") { registry.adapter(for: "ergon") != nil }
            #expect(discovery.component(named: "ergon")?.source == .config)
            #expect(discovery.status.hermesReachable == nil)
        }
    }

    @Test func configurationIsTheFallbackWhileHermesIsUnreachableAndHermesWinsOnceItAnswers() async throws {
        let port = try await HermesDouble.unusedPort()
        let hermes = HermesDouble()
        let registry = AdapterRegistry()
        let discovery = reconciler(
            "http://127.0.0.1:\(port)", registry: registry, provisioner: RecordingProvisioner(),
            statics: [StaticComponent(name: "engram", endpoint: "http://config:8000")])
        try await withServices([discovery]) { _ in
            await eventually("engram is served from the configuration") { endpoint(registry, "engram") == "http://config:8000" }
            #expect(discovery.component(named: "engram")?.source == .config)
            #expect(discovery.status.hermesReachable == false)
            try await hermes.start(port: port)
            hermes.registerComponent(name: "engram", endpoint: "http://hermes:8000")
            await eventually("Hermes' endpoint replaces the configured one") {
                endpoint(registry, "engram") == "http://hermes:8000"
            }
            #expect(discovery.component(named: "engram")?.source == .hermes)
            #expect(discovery.status.hermesReachable == true)

            // Hermes goes down: its last answer stands, nothing becomes unavailable.
            await hermes.stop()
            let passes = discovery.status.passes
            await eventually("two failed polls") { discovery.status.passes >= passes + 2 }
            #expect(discovery.status.hermesReachable == false)
            #expect(endpoint(registry, "engram") == "http://hermes:8000")

            // Back, but engram is no longer listed: the configuration takes over again.
            try await hermes.restart()
            await eventually("the configured endpoint is back") { endpoint(registry, "engram") == "http://config:8000" }
            #expect(discovery.component(named: "engram")?.source == .config)
        }
        await hermes.stop()
    }

    @Test func aPinnedConfiguredComponentOverridesHermes() async throws {
        try await withHermes { hermes in
            let registry = AdapterRegistry()
            let discovery = reconciler(
                hermes.url, registry: registry, provisioner: RecordingProvisioner(),
                statics: [StaticComponent(name: "engram", endpoint: "http://pinned:8000", pinned: true)])
            hermes.registerComponent(name: "engram", endpoint: "http://hermes:8000")
            await discovery.reconcile()
            #expect(endpoint(registry, "engram") == "http://pinned:8000")
            #expect(discovery.component(named: "engram")?.source == .config)
        }
    }
}

import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaPlugins
import HarmoniaTestSupport
import Testing

@testable import HarmoniaDiscovery

/// Discovery over a plugin manager that loads on demand (Hermes mode): nothing is opened
/// until Hermes lists a component; a reload (rescan, then a pass retrying failures, as
/// `POST /components/reload` does) activates nothing Hermes does not list; a new version
/// of an opened file replaces the adapters built from the old one; a library installed
/// after its component registered is picked up by the next pass.
@Suite(.timeLimit(.minutes(1)))
struct OnDemandDiscoveryTests {
    static let poll = Duration.milliseconds(50)

    func onDemandManager(_ plugins: PluginDirectory, _ registry: AdapterRegistry, settings: [String: ComponentConfiguration] = [:])
        -> PluginManager
    {
        PluginManager(
            configuration: PluginsConfiguration(
                directories: [plugins.path], components: settings, activateUnconfigured: false, loadOnDemand: true),
            registry: registry, logger: quietLogger)
    }

    @Test func aReloadActivatesNothingHermesDoesNotListAndANewVersionReplacesTheAdapter() async throws {
        let plugins = try PluginDirectory(libraries: ["libHarmoniaEngram.so", "libHarmoniaErgon.so", "libHarmoniaEcho.so"])
        defer { plugins.remove() }
        let engram = EngramDouble(name: "engram")
        try await engram.start()
        try await withHermes { hermes in
            let registry = AdapterRegistry([BuiltinAdapter()])
            // ergon is configured (settings, no endpoint): a start-up scan used to activate it.
            let settings = ["ergon": ComponentConfiguration(timeout: 5)]
            let manager = onDemandManager(plugins, registry, settings: settings)
            let provisioner = PluginAdapterProvisioner(manager: manager, settings: settings)
            let discovery = DiscoveryReconciler(
                client: HermesClient(url: hermes.url), registry: registry, provisioner: provisioner,
                pollInterval: Self.poll, environment: [:], logger: quietLogger)
            try await withServices([discovery]) { _ in
                await eventually("a first poll") { discovery.status.passes >= 1 }
                manager.reload()
                await discovery.reconcile(retryFailed: true)
                #expect(manager.records.isEmpty, "nothing is opened before Hermes lists a component")
                #expect(registry.unavailableComponents["ergon"] == "ergon has not registered with Hermes yet")

                hermes.registerComponent(name: "engram", endpoint: engram.url)
                await eventually("engram is served") { registry.adapter(for: "engram") is PluginAdapter }
                #expect(plugins.loaded(by: manager) == ["libHarmoniaEngram.so"])

                manager.reload()
                await discovery.reconcile(retryFailed: true)
                #expect(plugins.loaded(by: manager) == ["libHarmoniaEngram.so"])
                #expect(registry.adapter(for: "ergon") == nil, "configured, but Hermes does not list it")
                #expect(registry.adapter(for: "echo") == nil)
                #expect(registry.adapter(for: "harmonia") is BuiltinAdapter)

                // A new version of the engram file: the adapter built from the old one is rebuilt.
                let old = try #require(registry.adapter(for: "engram") as? PluginAdapter)
                try plugins.install("libHarmoniaEngram.so")
                manager.reload()
                #expect(!provisioner.isCurrent(old))
                await discovery.reconcile()
                let new = try #require(registry.adapter(for: "engram") as? PluginAdapter)
                #expect(provisioner.isCurrent(new))
                #expect(manager.records.filter { $0.status == .superseded }.count == 1)
                #expect(plugins.loaded(by: manager) == ["libHarmoniaEngram.so"])
                #expect(try await storeMemory(registry) == "engram-1")
            }
        }
        await engram.stop()
    }

    @Test func aLibraryInstalledAfterItsComponentRegisteredIsPickedUpByTheNextPass() async throws {
        let plugins = try PluginDirectory(libraries: ["libHarmoniaEngram.so"])
        defer { plugins.remove() }
        try await withHermes { hermes in
            let registry = AdapterRegistry()
            let manager = onDemandManager(plugins, registry)
            let discovery = DiscoveryReconciler(
                client: HermesClient(url: hermes.url), registry: registry,
                provisioner: PluginAdapterProvisioner(manager: manager), pollInterval: Self.poll, environment: [:],
                logger: quietLogger)
            try await withServices([discovery]) { _ in
                hermes.registerComponent(name: "rhetor", endpoint: "http://127.0.0.1:8003")
                await eventually("rhetor is listed, with no plugin") { discovery.component(named: "rhetor")?.available == false }
                #expect(registry.adapter(for: "rhetor") == nil)
                #expect(
                    manager.records.isEmpty,
                    "libHarmoniaEngram.so is taken to serve engram and is not opened to look for rhetor")

                try plugins.install("libHarmoniaRhetor.so")
                await eventually("rhetor is served") { registry.adapter(for: "rhetor") is PluginAdapter }
                #expect(discovery.component(named: "rhetor")?.pluginFile == plugins.path + "/libHarmoniaRhetor.so")
                #expect(plugins.loaded(by: manager) == ["libHarmoniaRhetor.so"])
            }
        }
    }
}

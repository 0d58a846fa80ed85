import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaPlugins
import HarmoniaTestSupport
import Testing

@testable import HarmoniaDiscovery

/// Discovery choosing real plugin adapters: the Engram plugin is opened when Hermes first
/// lists engram, and each endpoint Hermes reports gets its own configured instance.
@Suite(.timeLimit(.minutes(1)))
struct PluginAdapterProvisionerTests {
    @Test func theEngramPluginLoadsWhenEngramAppearsAndFollowsItsEndpoint() async throws {
        let plugins = try PluginDirectory(libraries: ["libHarmoniaEngram.so"])
        defer { plugins.remove() }
        let first = EngramDouble(name: "first")
        let second = EngramDouble(name: "second")
        try await first.start()
        try await second.start()
        try await withHermes { hermes in
            let registry = AdapterRegistry()
            let manager = PluginManager(
                configuration: PluginsConfiguration(directories: [plugins.path], activateUnconfigured: false),
                registry: registry, logger: quietLogger)
            // A call timeout this test is not about: long enough for a loaded machine.
            let provisioner = PluginAdapterProvisioner(manager: manager, settings: ["engram": ComponentConfiguration(timeout: 60)])
            #expect(provisioner.knownComponents.contains("engram"))
            let discovery = DiscoveryReconciler(
                client: HermesClient(url: hermes.url), registry: registry, provisioner: provisioner,
                pollInterval: .milliseconds(50), environment: [:], logger: quietLogger)
            try await withServices([discovery]) { _ in
                await eventually("a first poll") { discovery.status.passes >= 1 }
                #expect(manager.records.isEmpty, "no plugin is opened before its component appears")

                let id = hermes.registerComponent(name: "engram", endpoint: first.url)
                await eventually("the engram plugin adapter is registered") { registry.adapter(for: "engram") is PluginAdapter }
                #expect(manager.records.map(\.name) == ["engram"])
                let status = try #require(discovery.component(named: "engram"))
                #expect(status.pluginFile == plugins.path + "/libHarmoniaEngram.so")
                #expect(status.version == "1.0.0" && status.source == .hermes && status.available)
                #expect(try await storeMemory(registry) == "first-1")

                hermes.registerComponent(name: "engram", endpoint: second.url, componentID: id)
                await eventually("engram's endpoint moved") { discovery.component(named: "engram")?.endpoint == second.url }
                #expect(try await storeMemory(registry) == "second-1")
                #expect(first.memories.count == 1)
            }
        }
        await first.stop()
        await second.stop()
    }

    @Test func hermesDecidesEvenAfterAStartUpScanActivatedEveryPlugin() async throws {
        let plugins = try PluginDirectory(libraries: ["libHarmoniaEngram.so"])
        defer { plugins.remove() }
        let engram = EngramDouble(name: "engram")
        try await engram.start()
        try await withHermes { hermes in
            let registry = AdapterRegistry([BuiltinAdapter()])
            let manager = PluginManager(
                configuration: PluginsConfiguration(directories: [plugins.path], activateUnconfigured: true),
                registry: registry, logger: quietLogger)
            manager.reload()
            #expect(registry.adapter(for: "engram") is PluginAdapter, "the scan activated engram at its default endpoint")
            let discovery = DiscoveryReconciler(
                client: HermesClient(url: hermes.url), registry: registry, provisioner: PluginAdapterProvisioner(manager: manager),
                pollInterval: .milliseconds(50), environment: [:], logger: quietLogger)
            try await withServices([discovery]) { _ in
                await eventually("a first poll") { discovery.status.passes >= 1 }
                #expect(registry.adapter(for: "engram") == nil)
                #expect(registry.unavailableComponents["engram"] == "engram has not registered with Hermes yet")
                #expect(registry.adapter(for: "harmonia") != nil, "the built-in component is left alone")
                hermes.registerComponent(name: "engram", endpoint: engram.url)
                await eventually("engram is served at Hermes' endpoint") {
                    discovery.component(named: "engram")?.available == true
                }
                let memory = try await storeMemory(registry)
                #expect(memory == "engram-1")
            }
        }
        await engram.stop()
    }

    @Test func aComponentNoPluginServesIsUnavailableWithTheReason() async throws {
        let plugins = try PluginDirectory(libraries: [])
        defer { plugins.remove() }
        let manager = PluginManager(
            configuration: PluginsConfiguration(directories: [plugins.path]), registry: AdapterRegistry(), logger: quietLogger)
        let provisioner = PluginAdapterProvisioner(manager: manager)
        await #expect(throws: HarmoniaError(.componentUnavailable, "")) {
            _ = try await provisioner.makeAdapter(ProvisionRequest(component: "ergon", endpoint: "http://x:8002", source: .hermes))
        }
    }
}

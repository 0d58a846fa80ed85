import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import HarmoniaDiscovery
import HarmoniaEngine
import HarmoniaMCP
import HarmoniaPlugins
import Logging
import ServiceLifecycle

/// Harmonia's part in Tekton's registry, built from the configuration: the registration
/// service (register, heartbeat, unregister) and the discovery reconciler that loads the
/// adapters of the components Hermes lists. Nothing when `hermes.url` is not configured.
///
/// Neither blocks start-up: they are services next to the HTTP server, which answers
/// `/health` whether Hermes does or not.
public final class HermesServices: Sendable {
    let registration: HermesRegistrationService?
    /// Harmonia's MCP tools in Hermes' tool registry (`/api/mcp/v2/tools`).
    let tools: HermesToolRegistrationService?
    let discovery: DiscoveryReconciler?
    let plugins: PluginManager?
    private let port = PortSignal()

    /// - Parameter shared: the server's plugin manager (configured components), which
    ///   discovery then also instantiates Hermes' components with; nil makes one here.
    init(
        configuration: HarmoniaConfiguration, adapters: AdapterRegistry, environment: [String: String], logger: Logger,
        plugins shared: PluginManager? = nil
    ) {
        guard let hermes = configuration.hermesConfiguration else {
            (registration, discovery, plugins, tools) = (nil, nil, nil, nil)
            return
        }
        let client = HermesClient(url: hermes.url, timeout: hermes.requestTimeout)
        let port = self.port
        registration = HermesRegistrationService(
            client: client, configuration: hermes,
            registration: {
                let bound = try await port.value()
                return HermesRegistration.harmonia(
                    componentID: hermes.componentID, endpoint: configuration.advertisedEndpoint(port: bound, environment: environment),
                    version: HarmoniaVersion.current, dataDirectory: configuration.dataDirectory)
            }, logger: logger.with(label: "harmonia.hermes"))
        tools = HermesToolRegistrationService(
            client: client, configuration: hermes,
            tools: {
                let bound = try await port.value()
                let base = configuration.advertisedEndpoint(port: bound, environment: environment)
                return Self.hermesTools(endpoint: base)
            }, logger: logger.with(label: "harmonia.hermes.tools"))
        let manager = shared ?? PluginManager(
            configuration: PluginsConfiguration(
                directories: PluginsConfiguration.defaultDirectories(dataDirectory: configuration.dataDirectory),
                activateUnconfigured: false, loadOnDemand: true),
            registry: adapters, logger: logger.with(label: "harmonia.plugins"))
        plugins = manager
        // Configured components: their endpoints are the fallback while Hermes does not list
        // them, their settings (timeout, options) configure the instances discovery builds.
        let configured = manager.configuration.components
        let statics = configured.compactMap { name, settings in
            settings.endpoint.map { StaticComponent(name: name, endpoint: $0) }
        }
        let reconciler = DiscoveryReconciler(
            client: client, registry: adapters, provisioner: PluginAdapterProvisioner(manager: manager, settings: configured),
            statics: statics.sorted { $0.name < $1.name }, pollInterval: hermes.pollInterval,
            selfComponentID: hermes.componentID, environment: environment, probe: HTTPHealthProbe(),
            logger: logger.with(label: "harmonia.discovery"))
        // The registry read on every poll is also how registration learns that a restarted
        // Hermes forgot Harmonia (its heartbeats keep getting 200 with the old token).
        let registrationService = registration
        let componentID = hermes.componentID
        reconciler.observeRegistry { ids, started in
            registrationService?.registryRead(lists: ids.contains(componentID), startedAt: started)
        }
        // Before the server binds: a task for a component that is not loaded yet waits for
        // it instead of failing as unknown.
        reconciler.expectComponents()
        discovery = reconciler
    }

    /// In shutdown order, last first: registration comes last so that on SIGTERM Harmonia
    /// unregisters before anything else stops, then discovery stops, then the HTTP server drains.
    var services: [any Service] {
        [discovery as (any Service)?, registration, tools].compactMap { $0 }
    }

    /// Called once the HTTP server listens.
    func serverStarted(port bound: Int) { port.set(bound) }

    /// Every MCP tool as Hermes stores it: `harmonia_<Tool>`, its input schema, and the
    /// endpoint that runs it (`POST <endpoint>/api/v1/mcp/tools/harmonia_<Tool>`).
    static func hermesTools(endpoint: String) -> [HermesTool] {
        ToolCatalog.all.map { tool in
            let name = MCPToolRoutes.hermesPrefix + tool.name
            return HermesTool(
                id: name, name: name, description: tool.description, schema: tool.inputSchema,
                endpoint: "\(endpoint)/api/v1/mcp/tools/\(name)", tags: ["harmonia", "workflow"],
                version: HarmoniaVersion.current,
                metadata: ["component": "harmonia", "tool": .string(tool.name), "read_only": .bool(tool.readOnly)])
        }
    }

    /// `/health`'s `registered`.
    public var isRegistered: Bool { registration?.isRegistered ?? false }

    /// The components Hermes (or the configuration) chose, for `/api/v1/components`.
    public var components: [HarmoniaDiscovery.ComponentStatus] { discovery?.components ?? [] }
}

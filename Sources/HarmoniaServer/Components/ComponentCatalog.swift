import Dispatch
import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import HarmoniaDiscovery
import HarmoniaEngine
import HarmoniaPlugins
import Logging

/// The components the server can call and the plugin files behind them: what
/// `/api/v1/components` shows and what `POST /components/reload` (and SIGHUP) rescans.
///
/// One `PluginManager` serves both the configuration (`components:` selects the active
/// ones) and Hermes discovery (which instantiates what Hermes lists), over one
/// `AdapterRegistry` shared with the engine.
public final class ComponentCatalog: Sendable {
    public let manager: PluginManager
    let registry: AdapterRegistry
    let configured: [String: ComponentConfiguration]
    let hermes: HermesServices?
    let logger: Logger

    init(manager: PluginManager, registry: AdapterRegistry, hermes: HermesServices?, logger: Logger) {
        self.manager = manager
        self.registry = registry
        self.configured = manager.configuration.components
        self.hermes = hermes
        self.logger = logger
    }

    /// A catalog over a new plugin manager built from `configuration` (nothing loaded yet).
    public convenience init(configuration: HarmoniaConfiguration, registry: AdapterRegistry, logger: Logger) {
        let manager = PluginManager(
            configuration: configuration.pluginsConfiguration, registry: registry,
            logger: logger.with(label: "harmonia.plugins"))
        self.init(manager: manager, registry: registry, hermes: nil, logger: logger)
    }

    func with(hermes: HermesServices?) -> ComponentCatalog {
        ComponentCatalog(manager: manager, registry: registry, hermes: hermes, logger: logger)
    }

    /// Rescans the plugin directories (off the cooperative pool) and says what changed.
    ///
    /// With Hermes, discovery decides what is served: the rescan refreshes only the files
    /// already opened (a new version supersedes the old), then a discovery pass rebuilds the
    /// adapters of superseded versions and retries the components Hermes lists that nothing
    /// could serve. A component Hermes does not list is never activated here.
    @discardableResult
    public func reload() async -> ReloadReport {
        let before = snapshot()
        _ = await manager.reloadInBackground()
        registry.setDisabled(disabledReasons())
        if let discovery = hermes?.discovery {
            await discovery.reconcile(retryFailed: true)
        }
        let after = snapshot()
        let report = ReloadReport(
            loaded: after.files.subtracting(before.files).sorted(),
            updated: after.versions.filter { before.files.contains($0.key) && before.versions[$0.key] != $0.value }.keys.sorted(),
            removed: before.files.subtracting(after.files).sorted(),
            refused: after.refused.subtracting(before.refused).sorted(),
            componentsAdded: after.components.subtracting(before.components).sorted(),
            componentsRemoved: before.components.subtracting(after.components).sorted(),
            catalog: list())
        logger.info(
            "plugins reloaded",
            metadata: [
                "loaded": "\(report.loaded)", "updated": "\(report.updated)", "removed": "\(report.removed)",
                "refused": "\(report.refused)", "components": "\(after.components.sorted())",
            ])
        return report
    }

    /// The components a loaded plugin serves that nothing enabled, each with how to enable
    /// it: the `components:` key (read at start-up, so a restart), or Hermes.
    func disabledReasons() -> [String: String] {
        var reasons: [String: String] = [:]
        let unavailable = registry.unavailableComponents
        for record in manager.records where record.status == .loaded {
            for component in record.components.map(\.name) {
                guard registry.adapter(for: component) == nil, unavailable[component] == nil,
                    configured[component] == nil, reasons[component] == nil
                else { continue }
                reasons[component] = Self.enableHint(component, file: record.path, hermes: manager.configuration.loadOnDemand)
            }
        }
        return reasons
    }

    /// How to enable `component`, served by the loaded plugin `file`.
    static func enableHint(_ component: String, file: String, hermes: Bool) -> String {
        let library = (file as NSString).lastPathComponent
        let viaConfig =
            "add `components: {\(component): {...}}` to the configuration file (--config FILE, docs/configuration.md) and restart the server"
        return hermes
            ? "component '\(component)' is loaded (\(library)) but Hermes does not list it: register \(component) in Hermes, or \(viaConfig)"
            : "component '\(component)' is loaded (\(library)) but not enabled: \(viaConfig), or register \(component) in Hermes and start the server with --hermes-url"
    }

    /// One line for the start-up log: the adapters the plugin files provide and the
    /// components enabled, with how to enable the rest.
    func summaryLine() -> String {
        let loaded = Set(manager.records.filter { $0.status == .loaded }.flatMap { $0.components.map(\.name) })
        let enabled = registry.all.map(\.component)
        let disabled = registry.disabledComponents.keys.sorted()
        var line =
            "adapters loaded: \(loaded.isEmpty ? "none" : loaded.sorted().joined(separator: ", ")); enabled: \(enabled.joined(separator: ", "))"
        if !disabled.isEmpty {
            line += "; not enabled: \(disabled.joined(separator: ", ")) (enable one under `components:` in --config FILE, e.g. config/harmonia.dev.yaml, or through Hermes)"
        }
        return line
    }

    private struct Snapshot {
        var files: Set<String> = []
        var versions: [String: String] = [:]
        var refused: Set<String> = []
        var components: Set<String> = []
    }

    private func snapshot() -> Snapshot {
        var snapshot = Snapshot()
        for record in manager.records {
            switch record.status {
            case .loaded:
                snapshot.files.insert(record.path)
                snapshot.versions[record.path] = record.version + "|" + record.buildSignature
            case .refused: snapshot.refused.insert(record.path)
            default: break
            }
        }
        snapshot.components = Set(registry.all.map(\.component))
        return snapshot
    }

    /// Every component known: registered, configured, unavailable or listed by Hermes, with
    /// the plugin file serving it, plus the refused plugin files and why.
    public func list() -> ComponentList {
        let records = manager.records
        let loaded = records.filter { $0.status == .loaded }
        let discovered = Dictionary(
            (hermes?.components ?? []).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let unavailable = registry.unavailableComponents
        var names = Set(registry.all.map(\.component))
        names.formUnion(configured.keys)
        names.formUnion(unavailable.keys)
        names.formUnion(discovered.keys)
        for record in loaded { names.formUnion(record.components.map(\.name)) }
        let disabled = registry.disabledComponents

        let components = names.sorted().map { name -> ComponentView in
            let adapter = registry.adapter(for: name)
            let record = loaded.first { $0.components.contains { $0.name == name } }
            let builtin = adapter is BuiltinAdapter
            let status = discovered[name]
            let source: String =
                builtin ? "builtin" : (status?.source == .hermes ? "hermes" : (configured[name] != nil ? "config" : (status != nil ? "config" : "plugin")))
            let actions = adapter?.actions.map(\.name)
                ?? record?.components.first { $0.name == name }?.actions.map(\.name) ?? []
            var reason: String?
            if adapter == nil {
                reason = unavailable[name] ?? record?.instanceErrors[name] ?? status?.reason ?? disabled[name]
                    ?? record.map { Self.enableHint(name, file: $0.path, hermes: manager.configuration.loadOnDemand) }
                    ?? "no loaded plugin serves component '\(name)'"
            }
            let isolation = builtin ? nil : manager.isolation(ofComponent: name)
            return ComponentView(
                name: name, source: source, available: adapter != nil, reason: reason, actions: actions,
                endpoint: status?.endpoint ?? configured[name]?.endpoint, adapterLoaded: builtin || record != nil,
                pluginFile: builtin ? nil : record?.path, pluginName: builtin ? nil : record?.name,
                version: builtin ? HarmoniaVersion.current : record?.version, abiVersion: builtin ? nil : record?.abiVersion,
                isolation: isolation?.isolation.rawValue, hostState: isolation?.host?.rawValue)
        }
        let refused = records.filter { $0.status == .refused }.map {
            RefusedPlugin(path: $0.path, reason: $0.reason ?? "refused")
        }
        return ComponentList(
            components: components, refused: refused, loaded: loaded.map(\.path),
            directories: manager.configuration.directories)
    }

    /// The actions of `component`: the registered adapter's, else its loaded plugin's manifest.
    func actions(of component: String) throws -> [ActionDescriptor] {
        if let adapter = registry.adapter(for: component) { return adapter.actions }
        if let entry = manager.records.lazy.filter({ $0.status == .loaded })
            .compactMap({ $0.components.first { $0.name == component } }).first
        {
            return entry.actions
        }
        throw HarmoniaError(.notFound, "no component named '\(component)'")
    }

    /// Reloads on every SIGHUP until the returned source is canceled.
    public func reloadOnSIGHUP() -> any DispatchSourceSignal {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler { [self] in
            logger.info("SIGHUP: reloading plugins")
            Task { await self.reload() }
        }
        source.resume()
        return source
    }
}

/// An adapter's failure of a directly run action; `HTTPErrorMapping` makes it a 422
/// (the input was refused) or a 502 (the component failed), with the adapter's code.
struct ComponentActionFailure: Error {
    var failure: TaskFailure
    /// The built-in `harmonia` component runs in this process: its failures come from the
    /// input (`fail` fails on request), never from a component behind a gateway.
    var builtin = false
}

import Foundation
import HarmoniaCore
import Logging
import Synchronization

extension PluginManager {
    /// An adapter for `component` of the file at `path` served by a plugin host child of
    /// its own (`isolation: process`): `launched` (the child that described the file) when
    /// given, else a new one; or the reason it could not start.
    func isolatedAdapter(
        path: String, pluginName: String, component: PluginComponent, settings: ComponentConfiguration,
        launched: LaunchedHost? = nil
    ) -> Result<PluginAdapter, HarmoniaError> {
        let instance = IsolatedInstance(
            path: path, component: component.name, pluginName: pluginName, config: settings.json(component: component.name),
            configuration: configuration, registry: registry, logger: logger)
        if let failure = instance.start(adopting: launched) {
            return .failure(HarmoniaError(.pluginInstanceRejected, failure))
        }
        let adapter = PluginAdapter(
            target: instance, component: component.name, pluginName: pluginName, pluginPath: path, actions: component.actions,
            logger: logger, cancelGracePeriod: configuration.cancelGracePeriod)
        instance.bind(adapter)
        return .success(adapter)
    }

    /// The description of a file loaded only in plugin host children.
    static func description(of record: PluginRecord) -> PluginDescription {
        let parts = record.abiVersion.split(separator: ".").map { UInt32($0) ?? 0 }
        return PluginDescription(
            name: record.name, version: record.version, abiMajor: parts.first ?? 0, abiMinor: parts.count > 1 ? parts[1] : 0,
            buildSignature: record.buildSignature, isSwift: record.buildSignature.contains("swift"), components: record.components)
    }

    /// Stops every plugin host child of this manager and waits until each has been reaped:
    /// the end of a graceful shutdown, once no call is in flight any more.
    public func stopPluginHosts() async {
        let instances = state.withLock { $0.loaded.values.flatMap(\.adapters) }.compactMap { $0.instance as? IsolatedInstance }
        await withTaskGroup(of: Void.self) { group in
            for instance in instances { group.addTask { await instance.shutdown() } }
        }
    }

    /// Stops the plugin host child behind `adapter`, if it has one, once its calls are done.
    static func retire(_ adapter: PluginAdapter) {
        (adapter.instance as? IsolatedInstance)?.retire()
    }
}

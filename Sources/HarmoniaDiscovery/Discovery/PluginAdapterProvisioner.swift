import Foundation
import HarmoniaCore
import HarmoniaPlugins

/// Provides adapters from the plugin files of a `PluginManager`: the plugin serving a
/// component is opened when the component first appears (the file named after it first,
/// see `PluginManager.instantiate`), and each endpoint gets its own
/// instance, configured with the component's settings from the configuration file (timeout,
/// options) and the endpoint the reconciler chose.
public struct PluginAdapterProvisioner: AdapterProvisioner {
    let manager: PluginManager
    /// Per-component settings; their `endpoint` is replaced by the reconciler's choice.
    let settings: [String: ComponentConfiguration]

    public init(manager: PluginManager, settings: [String: ComponentConfiguration] = [:]) {
        self.manager = manager
        self.settings = Dictionary(settings.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    public var knownComponents: Set<String> {
        manager.componentsByFileName.union(settings.keys)
    }

    /// Components whose plugin files are taken to be named after them (`libHarmoniaErgon.so`
    /// serves `ergon`): Tekton's and the configured ones. Looking for another component, the
    /// manager does not open those files, so a component no adapter serves (Hermes lists
    /// many) does not `dlopen` every plugin in the directories.
    var presumed: Set<String> {
        TektonComponents.names.union(settings.keys)
    }

    public func isCurrent(_ adapter: any ComponentAdapter) -> Bool {
        guard let adapter = adapter as? PluginAdapter else { return true }
        return manager.isInService(adapter)
    }

    public var fingerprint: Int? { manager.filesFingerprint }

    public func makeAdapter(_ request: ProvisionRequest) async throws -> ProvisionedAdapter {
        var configuration = settings[request.component] ?? ComponentConfiguration()
        configuration.endpoint = request.endpoint
        // `dlopen`, the plugin's init hook and `instance_new` block: run them on a Dispatch
        // thread, not on one of the cooperative pool's few threads.
        let manager = self.manager
        let component = request.component
        let settings = configuration
        let presumed = self.presumed
        let result = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    returning: manager.instantiate(component: component, settings: settings, presumed: presumed))
            }
        }
        switch result {
        case .success(let adapter):
            return ProvisionedAdapter(
                adapter: adapter, pluginFile: adapter.pluginPath, version: manager.pluginVersion(path: adapter.pluginPath))
        case .failure(let error):
            throw error
        }
    }
}

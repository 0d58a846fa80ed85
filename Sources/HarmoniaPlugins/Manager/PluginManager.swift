import Foundation
import HarmoniaCore
import Logging
import Synchronization

/// Loads the plugins of the configured directories, configures one instance per
/// component, registers them with the engine's `AdapterRegistry`, and reloads on demand.
///
/// `reload()` rescans: new files load, changed files supersede their previous version
/// (its calls in flight finish on it; it stays mapped, never unloaded), removed files drop
/// their components, unchanged files are left alone. Every refused file gets one log line
/// and a record saying why.
public final class PluginManager: Sendable {
    public let configuration: PluginsConfiguration
    public let registry: AdapterRegistry
    let logger: Logger

    /// One plugin file currently in service.
    struct Loaded: Sendable {
        var identity: FileIdentity?
        /// The library opened in this process; nil when every component of the file runs in
        /// a plugin host child (`isolation: process`).
        var library: PluginLibrary?
        var adapters: [PluginAdapter]
        var record: PluginRecord
    }

    struct State: Sendable {
        /// Files in service, by path.
        var loaded: [String: Loaded] = [:]
        /// Refused files, by path, with the identity they were refused at (so an unchanged
        /// file is not reopened and re-logged at every reload).
        var refused: [String: (identity: FileIdentity?, record: PluginRecord)] = [:]
        /// Earlier versions of reloaded or removed files.
        var superseded: [PluginRecord] = []
        /// Paths ever opened: reopening one must go through a snapshot copy.
        var opened: Set<String> = []
    }

    let state = Mutex(State())
    /// Serialises scans: the ABI calls lifecycle hooks only from "the loader".
    let loadLock = Mutex(())

    public init(configuration: PluginsConfiguration, registry: AdapterRegistry, logger: Logger = Logger(label: "harmonia.plugins")) {
        self.configuration = configuration
        self.registry = registry
        self.logger = logger
    }

    /// Every known plugin file: in service, refused, then superseded versions.
    public var records: [PluginRecord] {
        state.withLock { state in
            (state.loaded.values.map(\.record) + state.refused.values.map(\.record)).sorted { $0.path < $1.path }
                + state.superseded
        }
    }

    /// The adapters currently registered by this manager, sorted by component.
    public var adapters: [PluginAdapter] {
        state.withLock { $0.loaded.values.flatMap(\.adapters) }.sorted { $0.component < $1.component }
    }

    /// Like `PluginLoader.inspect(path:)`.
    public static func inspect(path: String) -> PluginRecord {
        PluginLoader.inspect(path: path)
    }

    /// Takes every plugin adapter out of the registry (graceful shutdown). Calls in flight
    /// finish; instances are destroyed when the last one ends.
    public func unregisterAll() {
        let all = state.withLock { state -> [PluginAdapter] in
            let adapters = state.loaded.values.flatMap(\.adapters)
            state.loaded = [:]
            return adapters
        }
        for adapter in all {
            unregister(adapter)
            Self.retire(adapter)
        }
    }

    /// Removes `adapter` from the registry if it is still the one serving its component.
    func unregister(_ adapter: PluginAdapter) {
        if let current = registry.adapter(for: adapter.component) as? PluginAdapter, current.isSameInstance(as: adapter) {
            registry.unregister(component: adapter.component)
        } else if adapter.isIsolated, registry.adapter(for: adapter.component) == nil {
            // Unavailable while its plugin host restarts: forget it too.
            registry.unregister(component: adapter.component)
        }
    }
}

import HarmoniaCore
import Synchronization

/// The adapters the engine can dispatch to, keyed by component name.
///
/// Lookups happen on every dispatch while registrations are rare (start-up, plugin reload,
/// discovery), so a mutex around a dictionary is enough.
public final class AdapterRegistry: Sendable {
    private let adapters: Mutex<[String: any ComponentAdapter]>

    public init(_ adapters: [any ComponentAdapter] = []) {
        var map: [String: any ComponentAdapter] = [:]
        for adapter in adapters { map[adapter.component.lowercased()] = adapter }
        self.adapters = Mutex(map)
    }

    /// Adds or replaces the adapter for its component.
    public func register(_ adapter: any ComponentAdapter) {
        adapters.withLock { $0[adapter.component.lowercased()] = adapter }
    }

    /// Removes the adapter for `component`; tasks for it then fail with `component_unavailable`.
    public func unregister(component: String) {
        _ = adapters.withLock { $0.removeValue(forKey: component.lowercased()) }
    }

    /// The adapter serving `component`, if any.
    public func adapter(for component: String) -> (any ComponentAdapter)? {
        adapters.withLock { $0[component.lowercased()] }
    }

    /// Every registered adapter, sorted by component name.
    public var all: [any ComponentAdapter] {
        adapters.withLock { Array($0.values) }.sorted { $0.component < $1.component }
    }
}

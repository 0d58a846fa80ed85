import HarmoniaCore
import Synchronization

/// The adapters the engine can dispatch to, keyed by component name, and the components
/// that are expected but unavailable right now.
///
/// A component is *available* (an adapter is registered), *unavailable* (known — configured
/// or discovered — but its adapter is not usable now; tasks for it wait), or *unknown* (no
/// one ever mentioned it; tasks for it fail with `component_unavailable`). Lookups happen
/// on every dispatch while changes are rare, so a mutex around two dictionaries is enough.
public final class AdapterRegistry: Sendable {
    private struct State {
        var adapters: [String: any ComponentAdapter] = [:]
        /// Known components without a usable adapter, with the reason.
        var unavailable: [String: String] = [:]
        /// Components a loaded plugin serves but the configuration does not enable, with how
        /// to enable them. Tasks for them still fail as unknown ones do, saying so.
        var disabled: [String: String] = [:]
        var observers: [@Sendable (String) -> Void] = []
    }

    private let state: Mutex<State>

    public init(_ adapters: [any ComponentAdapter] = []) {
        var initial = State()
        for adapter in adapters { initial.adapters[adapter.component.lowercased()] = adapter }
        self.state = Mutex(initial)
    }

    /// Adds or replaces the adapter for its component and tells observers (the engine then
    /// dispatches the tasks that were waiting for it).
    public func register(_ adapter: any ComponentAdapter) {
        let name = adapter.component.lowercased()
        let observers = state.withLock { state in
            state.adapters[name] = adapter
            state.unavailable.removeValue(forKey: name)
            state.disabled.removeValue(forKey: name)
            return state.observers
        }
        for observer in observers { observer(name) }
    }

    /// Keeps the component known but without a usable adapter: its tasks wait, showing
    /// `reason`, until an adapter is registered again.
    public func markUnavailable(component: String, reason: String) {
        state.withLock { state in
            let name = component.lowercased()
            state.adapters.removeValue(forKey: name)
            state.unavailable[name] = reason
        }
    }

    /// Forgets the component entirely; tasks for it then fail with `component_unavailable`.
    public func unregister(component: String) {
        state.withLock { state in
            let name = component.lowercased()
            state.adapters.removeValue(forKey: name)
            state.unavailable.removeValue(forKey: name)
        }
    }

    /// The adapter serving `component`, if any.
    public func adapter(for component: String) -> (any ComponentAdapter)? {
        state.withLock { $0.adapters[component.lowercased()] }
    }

    /// Whether `component` can be called now, must be waited for, or is unknown.
    public func availability(of component: String) -> ComponentAvailability {
        state.withLock { state in
            let name = component.lowercased()
            if let adapter = state.adapters[name] { return .available(adapter) }
            if let reason = state.unavailable[name] { return .unavailable(reason: reason) }
            return .unknown
        }
    }

    /// Records the components that a loaded plugin serves but nothing enabled, each with a
    /// reason saying how to enable it; replaces the previous set (each plugin scan knows the
    /// whole picture). A disabled component is still *unknown* to `availability(of:)`: its
    /// tasks fail at once, with this reason in `unservedMessage(for:)`, instead of waiting.
    public func setDisabled(_ reasons: [String: String]) {
        state.withLock { state in
            state.disabled = Dictionary(
                reasons.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// Components loaded but not enabled, with how to enable each.
    public var disabledComponents: [String: String] {
        state.withLock { $0.disabled }
    }

    /// Why no adapter serves `component`, for the `component_unavailable` failure of a task
    /// naming it: the components that are available and, when a loaded plugin serves it but
    /// it is not enabled, how to enable it.
    public func unservedMessage(for component: String) -> String {
        let (known, disabled) = state.withLock { state in
            (state.adapters.keys.sorted().joined(separator: ", "), state.disabled[component.lowercased()])
        }
        let base = "no adapter serves component '\(component)' (available: \(known.isEmpty ? "none" : known))"
        return disabled.map { "\(base); \($0)" } ?? base
    }

    /// Every registered adapter, sorted by component name.
    public var all: [any ComponentAdapter] {
        state.withLock { Array($0.adapters.values) }.sorted { $0.component < $1.component }
    }

    /// Known components that have no usable adapter now, with the reason.
    public var unavailableComponents: [String: String] {
        state.withLock { $0.unavailable }
    }

    /// Calls `observer` with the component name whenever an adapter is registered.
    public func onRegister(_ observer: @escaping @Sendable (String) -> Void) {
        state.withLock { $0.observers.append(observer) }
    }
}

/// Whether a component can be called.
public enum ComponentAvailability: Sendable {
    case available(any ComponentAdapter)
    case unavailable(reason: String)
    case unknown
}

extension AdapterRegistry {
    /// `availability(of:)` as the explainer (`ExecutionExplainer`) reads it.
    @Sendable public func readiness(of component: String) -> ComponentReadiness {
        switch availability(of: component) {
        case .available: .available
        case .unavailable(let reason): .unavailable(reason: reason)
        case .unknown: .unknown
        }
    }
}

import Foundation

/// Where a component should be served from, as the reconciler decides it.
struct DesiredComponent: Sendable, Hashable {
    var name: String
    var source: ComponentSource
    var endpoint: String
    var discovered: DiscoveredComponent?
}

/// The pure half of reconciliation: what should be served, and what to change to get there.
enum ReconcilePlan {
    /// A change to bring the served adapters in line with the desired ones.
    enum Change: Sendable, Hashable {
        /// The component appeared: build its adapter (the first `dlopen` happens here).
        case load(DesiredComponent)
        /// Its endpoint changed (or an earlier load failed and the endpoint moved): build a new instance.
        case reconfigure(DesiredComponent)
        /// Same endpoint, other facts (source, Hermes entry): update the status only.
        case relabel(DesiredComponent)
        /// It disappeared: take its adapter out of the registry.
        case remove(String)
    }

    /// Hermes' view (nil: Hermes not configured or never reached) merged with the
    /// configuration: Hermes wins for the components it lists, unless a configured one is
    /// pinned; configured components fill in the rest.
    static func desired(hermes: [String: DiscoveredComponent]?, statics: [StaticComponent]) -> [String: DesiredComponent] {
        var result: [String: DesiredComponent] = [:]
        for component in statics {
            result[component.name] = DesiredComponent(name: component.name, source: .config, endpoint: component.endpoint)
        }
        let pinned = Set(statics.filter(\.pinned).map(\.name))
        for (name, discovered) in hermes ?? [:] where !pinned.contains(name) {
            result[name] = DesiredComponent(name: name, source: .hermes, endpoint: discovered.endpoint, discovered: discovered)
        }
        return result
    }

    /// The changes from `current` (what is applied) to `desired`, sorted by name so logs
    /// and tests are stable.
    static func changes(current: [String: DesiredComponent], desired: [String: DesiredComponent]) -> [Change] {
        var changes: [Change] = []
        for name in Set(current.keys).union(desired.keys).sorted() {
            switch (current[name], desired[name]) {
            case (nil, let new?):
                changes.append(.load(new))
            case (let old?, let new?) where old.endpoint != new.endpoint:
                changes.append(.reconfigure(new))
            case (let old?, let new?) where old != new:
                changes.append(.relabel(new))
            case (_?, nil):
                changes.append(.remove(name))
            default:
                break
            }
        }
        return changes
    }
}

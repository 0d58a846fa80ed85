import Foundation

/// Maps Hermes' registry entries to adapter component names, following tekton.md: the
/// lower-cased `name`, else the `component_id` prefix before the first `-`, else the port
/// (Tekton's port map); for one name the newest `registered_at` wins; `<NAME>_HOST`
/// overrides the endpoint's host. Pure, so every quirk is a unit test.
public struct ComponentResolver: Sendable {
    /// Names an entry may map to: the port map, configured components, and those the
    /// adapter provisioner announces. A rule whose candidate is not known falls through to
    /// the next rule (a display name like "Engram Memory" then maps by id or port).
    public var known: Set<String>
    /// Harmonia's own id: its entry is never mapped (it would route tasks to itself).
    public var selfComponentID: String
    public var environment: [String: String]

    public init(known: Set<String>, selfComponentID: String = "harmonia", environment: [String: String] = [:]) {
        self.known = Set(known.map { $0.lowercased() })
        self.selfComponentID = selfComponentID
        self.environment = environment
    }

    /// The discovered components by name.
    public func resolve(_ entries: [HermesComponent]) -> [String: DiscoveredComponent] {
        var result: [String: DiscoveredComponent] = [:]
        for entry in entries {
            guard entry.componentID != selfComponentID, let (name, rule) = match(entry), name != "harmonia" else { continue }
            guard let endpoint = endpoint(of: entry, name: name) else { continue }
            let candidate = DiscoveredComponent(
                name: name, endpoint: endpoint, componentID: entry.componentID, version: entry.version,
                registeredAt: entry.registeredAt, rule: rule)
            if let current = result[name], !Self.isNewer(candidate, than: current) { continue }
            result[name] = candidate
        }
        return result
    }

    /// The first rule whose candidate is a known name.
    func match(_ entry: HermesComponent) -> (String, DiscoveredComponent.Rule)? {
        let name = Self.normalized(entry.name)
        if !name.isEmpty, known.contains(name) { return (name, .name) }
        if let prefix = entry.componentID.split(separator: "-", maxSplits: 1).first {
            let candidate = Self.normalized(String(prefix))
            if known.contains(candidate) { return (candidate, .componentID) }
        }
        if let port = entry.port ?? TektonComponents.port(of: entry.endpoint), let candidate = TektonComponents.portMap[port],
            known.contains(candidate)
        {
            return (candidate, .port)
        }
        return nil
    }

    /// The registered endpoint (or `http://localhost:<port>` when only a port is known),
    /// with `<NAME>_HOST` applied.
    func endpoint(of entry: HermesComponent, name: String) -> String? {
        let raw: String
        if let endpoint = entry.endpoint?.trimmingCharacters(in: .whitespaces), !endpoint.isEmpty {
            raw = endpoint
        } else if let port = entry.port {
            raw = "http://localhost:\(port)"
        } else {
            return nil
        }
        return TektonComponents.endpoint(raw, component: name, environment: environment)
    }

    /// Newer `registered_at` wins; an entry without one loses to one with; on a tie the
    /// later entry in Hermes' list (registered later) wins.
    static func isNewer(_ candidate: DiscoveredComponent, than current: DiscoveredComponent) -> Bool {
        switch (candidate.registeredAt, current.registeredAt) {
        case (let new?, let old?): return new >= old
        case (_?, nil): return true
        case (nil, _?): return false
        case (nil, nil): return true
        }
    }

    /// `"Tekton Core"` → `tekton_core`.
    static func normalized(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespaces).lowercased()
            .replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
    }
}

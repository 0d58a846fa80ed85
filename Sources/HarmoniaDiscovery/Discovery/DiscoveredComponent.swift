import Foundation

/// A Hermes registry entry mapped to the component name an adapter serves.
public struct DiscoveredComponent: Sendable, Hashable {
    /// Which of tekton.md's rules matched the entry to `name`.
    public enum Rule: String, Sendable, Hashable, Codable {
        case name
        case componentID = "component_id"
        case port
    }

    /// The adapter's component name (`engram`).
    public var name: String
    /// Where to reach it, after the `<NAME>_HOST` override.
    public var endpoint: String
    public var componentID: String
    /// The version the component registered with.
    public var version: String?
    public var registeredAt: Date?
    public var rule: Rule

    public init(
        name: String, endpoint: String, componentID: String, version: String? = nil, registeredAt: Date? = nil,
        rule: Rule = .name
    ) {
        self.name = name
        self.endpoint = endpoint
        self.componentID = componentID
        self.version = version
        self.registeredAt = registeredAt
        self.rule = rule
    }
}

import Foundation

/// Where a component's endpoint came from.
public enum ComponentSource: String, Sendable, Hashable, Codable {
    /// Hermes' registry.
    case hermes
    /// The configuration file (fallback when Hermes is absent or silent, or pinned).
    case config
}

/// One component as `/api/v1/components` shows it: where it is, who said so, and whether
/// tasks for it can run now.
public struct ComponentStatus: Sendable, Hashable, Codable {
    public var name: String
    public var source: ComponentSource
    public var endpoint: String
    /// An adapter is registered and tasks for the component run.
    public var available: Bool
    /// The plugin file serving it, once loaded.
    public var pluginFile: String?
    /// The adapter plugin's version, once loaded.
    public var version: String?
    /// Why it is not available (no plugin serves it, the plugin rejected its configuration...).
    public var reason: String?
    /// The Hermes entry it came from.
    public var componentID: String?
    /// The version the component registered with Hermes.
    public var componentVersion: String?
    public var registeredAt: Date?

    public init(
        name: String, source: ComponentSource, endpoint: String, available: Bool, pluginFile: String? = nil,
        version: String? = nil, reason: String? = nil, componentID: String? = nil, componentVersion: String? = nil,
        registeredAt: Date? = nil
    ) {
        self.name = name
        self.source = source
        self.endpoint = endpoint
        self.available = available
        self.pluginFile = pluginFile
        self.version = version
        self.reason = reason
        self.componentID = componentID
        self.componentVersion = componentVersion
        self.registeredAt = registeredAt
    }

    enum CodingKeys: String, CodingKey {
        case name, source, endpoint, available, version, reason
        case pluginFile = "plugin_file"
        case componentID = "component_id"
        case componentVersion = "component_version"
        case registeredAt = "registered_at"
    }
}

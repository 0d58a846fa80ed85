/// A component configured in the configuration file, with its endpoint.
///
/// Fallback: used when Hermes is not configured, has not been reached yet, or does not
/// list the component. `pinned` makes it an override: its endpoint wins even over Hermes.
public struct StaticComponent: Sendable, Hashable {
    public var name: String
    public var endpoint: String
    public var pinned: Bool

    public init(name: String, endpoint: String, pinned: Bool = false) {
        self.name = name.lowercased()
        self.endpoint = endpoint
        self.pinned = pinned
    }
}

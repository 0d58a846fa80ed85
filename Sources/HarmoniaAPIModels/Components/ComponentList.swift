/// The data of `GET /components`: every component known, the refused plugin files, and
/// the directories scanned.
public struct ComponentList: Sendable, Hashable, Codable {
    public var components: [ComponentView]
    public var refused: [RefusedPlugin]
    /// The plugin files loaded (opened and handshaken), by path.
    public var loaded: [String]
    /// The directories scanned, in order.
    public var directories: [String]

    public init(
        components: [ComponentView], refused: [RefusedPlugin] = [], loaded: [String] = [], directories: [String] = []
    ) {
        self.components = components
        self.refused = refused
        self.loaded = loaded
        self.directories = directories
    }

    /// The component named `name`, if listed.
    public func component(_ name: String) -> ComponentView? {
        components.first { $0.name == name }
    }
}

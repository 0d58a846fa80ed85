/// The data of `POST /components/reload`: what the rescan of the plugin directories
/// changed (paths of plugin files, names of components), then the whole catalog.
public struct ReloadReport: Sendable, Hashable, Codable {
    public var loaded: [String]
    public var updated: [String]
    public var removed: [String]
    public var refused: [String]
    public var componentsAdded: [String]
    public var componentsRemoved: [String]
    public var catalog: ComponentList

    public init(
        loaded: [String] = [], updated: [String] = [], removed: [String] = [], refused: [String] = [],
        componentsAdded: [String] = [], componentsRemoved: [String] = [], catalog: ComponentList
    ) {
        self.loaded = loaded
        self.updated = updated
        self.removed = removed
        self.refused = refused
        self.componentsAdded = componentsAdded
        self.componentsRemoved = componentsRemoved
        self.catalog = catalog
    }

    enum CodingKeys: String, CodingKey {
        case loaded, updated, removed, refused, catalog
        case componentsAdded = "components_added"
        case componentsRemoved = "components_removed"
    }
}

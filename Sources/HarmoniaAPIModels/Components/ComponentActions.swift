import HarmoniaCore

/// The data of `GET /components/{name}/actions`: the component's actions with their
/// descriptions and input schemas.
public struct ComponentActions: Sendable, Hashable, Codable {
    public var component: String
    public var actions: [ActionDescriptor]

    public init(component: String, actions: [ActionDescriptor]) {
        self.component = component
        self.actions = actions
    }
}

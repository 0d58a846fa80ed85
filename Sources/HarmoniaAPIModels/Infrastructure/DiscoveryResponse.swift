/// The body of `GET /discovery`: the component description Tekton's registry (Hermes)
/// and other components read.
public struct DiscoveryResponse: Codable, Sendable, Hashable {
    /// Always `harmonia`.
    public var component: String
    public var name: String
    public var version: String
    public var description: String
    /// `http://<host>:<port>` as bound.
    public var endpoint: String
    public var port: Int
    public var capabilities: [String]
    public var endpoints: [EndpointDescription]

    public init(
        component: String = "harmonia", name: String, version: String, description: String,
        endpoint: String, port: Int, capabilities: [String], endpoints: [EndpointDescription]
    ) {
        self.component = component
        self.name = name
        self.version = version
        self.description = description
        self.endpoint = endpoint
        self.port = port
        self.capabilities = capabilities
        self.endpoints = endpoints
    }
}

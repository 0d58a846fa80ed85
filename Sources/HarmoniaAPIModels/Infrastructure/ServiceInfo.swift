/// The body of `GET /`: what this server is and which routes it serves.
public struct ServiceInfo: Codable, Sendable, Hashable {
    public var name: String
    public var version: String
    public var description: String
    public var endpoints: [EndpointDescription]

    public init(name: String, version: String, description: String, endpoints: [EndpointDescription]) {
        self.name = name
        self.version = version
        self.description = description
        self.endpoints = endpoints
    }
}

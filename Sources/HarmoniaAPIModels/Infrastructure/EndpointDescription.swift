/// One route, as listed by `GET /` and `GET /discovery`.
public struct EndpointDescription: Codable, Sendable, Hashable {
    public var method: String
    /// The path with `{parameters}`, such as `/api/v1/executions/{id}`.
    public var path: String
    public var description: String

    public init(method: String, path: String, description: String) {
        self.method = method
        self.path = path
        self.description = description
    }
}

/// The body of `GET /health` (not enveloped: Tekton's launcher only checks for a 200).
public struct HealthResponse: Codable, Sendable, Hashable {
    /// `healthy`, or `degraded` while the engine is recovering or draining.
    public var status: String
    /// Always `harmonia`.
    public var component: String
    public var version: String
    /// The port the server is bound to.
    public var port: Int
    /// Whether Harmonia is registered with Hermes.
    public var registered: Bool
    /// Seconds since the server started.
    public var uptime: Double

    public init(status: String, component: String = "harmonia", version: String, port: Int, registered: Bool, uptime: Double) {
        self.status = status
        self.component = component
        self.version = version
        self.port = port
        self.registered = registered
        self.uptime = uptime
    }
}

/// The `hermes.*` configuration keys: whether and how Harmonia registers with Hermes and
/// lets it choose the adapters. See `docs/hermes.md`.
public struct HermesSettings: Sendable, Hashable {
    /// Hermes' base URL (`http://localhost:8001`). Nil: no registration, no discovery; the
    /// configured components are all there is.
    public var url: String?
    /// Seconds between heartbeats (Tekton: 30).
    public var heartbeatInterval: Double
    /// Seconds between two reads of Hermes' component registry.
    public var pollInterval: Double
    /// The host other components use to reach Harmonia, in the endpoint it registers.
    /// Nil: the bind host, or `TEKTON_HOST` / `localhost` when bound to a wildcard or loopback.
    public var advertisedHost: String?

    public init(url: String? = nil, heartbeatInterval: Double = 30, pollInterval: Double = 10, advertisedHost: String? = nil) {
        self.url = url
        self.heartbeatInterval = heartbeatInterval
        self.pollInterval = pollInterval
        self.advertisedHost = advertisedHost
    }
}

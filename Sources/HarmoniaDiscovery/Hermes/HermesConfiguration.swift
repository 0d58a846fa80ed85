import Foundation

/// Where Hermes is and how Harmonia talks to it: the `hermes.*` configuration keys.
///
/// Intervals are short in tests (tens of milliseconds) and Tekton's values in production.
public struct HermesConfiguration: Sendable, Hashable {
    /// Hermes' base URL without `/api`, e.g. `http://localhost:8001`.
    public var url: String
    /// The id Harmonia registers under. Stable, so a restart overwrites the previous
    /// entry instead of piling up stale ones.
    public var componentID: String
    /// How often a heartbeat proves Harmonia alive (Tekton: 30 s).
    public var heartbeatInterval: Duration
    /// How often the discovery reconciler reads `GET /api/components`.
    public var pollInterval: Duration
    /// The timeout of one request to Hermes: Hermes is local and small, so a slow answer
    /// means it is in trouble and the next attempt should come instead.
    public var requestTimeout: Duration
    /// The first retry delay while Hermes is unreachable; it doubles up to `maxBackoff`.
    public var initialBackoff: Duration
    public var maxBackoff: Duration
    /// How long graceful shutdown waits for the unregister call.
    public var unregisterTimeout: Duration

    public init(
        url: String, componentID: String = "harmonia", heartbeatInterval: Duration = .seconds(30),
        pollInterval: Duration = .seconds(10), requestTimeout: Duration = .seconds(5),
        initialBackoff: Duration = .milliseconds(500), maxBackoff: Duration = .seconds(30),
        unregisterTimeout: Duration = .seconds(2)
    ) {
        self.url = url
        self.componentID = componentID
        self.heartbeatInterval = heartbeatInterval
        self.pollInterval = pollInterval
        self.requestTimeout = requestTimeout
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.unregisterTimeout = unregisterTimeout
    }

    /// Hermes' port in Tekton's port map.
    public static let defaultPort = 8001

    /// Tekton's rule for finding Hermes: `HERMES_URL`, else
    /// `http://{HERMES_HOST|TEKTON_HOST|localhost}:{HERMES_PORT|8001}`.
    ///
    /// Returns nil when none of these variables is set, so that a plain `harmonia serve`
    /// outside Tekton does not spend its life retrying a Hermes that was never there.
    public static func url(fromEnvironment environment: [String: String]) -> String? {
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        if let url = value("HERMES_URL") { return url }
        let host = value("HERMES_HOST") ?? value("TEKTON_HOST")
        let port = value("HERMES_PORT")
        guard host != nil || port != nil else { return nil }
        return "http://\(host ?? "localhost"):\(port ?? String(defaultPort))"
    }
}

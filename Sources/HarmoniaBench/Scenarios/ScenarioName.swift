/// The scenarios `harmonia bench` knows, in the order they run.
///
/// `sqlite-limit` runs first so that every later result can be printed as a ratio to the
/// disk's raw commit rate; `recovery` runs last because it kills its server.
public enum ScenarioName: String, Sendable, Hashable, CaseIterable, Codable {
    case sqliteLimit = "sqlite-limit"
    case chain40
    case fanout
    case fanin
    case layers
    case starts
    case concurrent
    case map
    case recovery

    /// Whether the scenario must kill and restart the server, which only an embedded
    /// server allows.
    public var killsServer: Bool { self == .recovery }

    /// Whether the scenario talks to a Harmonia server at all (`sqlite-limit` does not).
    public var needsServer: Bool { self != .sqliteLimit }
}

/// Everything one `harmonia bench` run needs, built once by the command line.
public struct BenchConfiguration: Sendable {
    /// Where the server under test comes from.
    public enum Target: Sendable, Hashable {
        /// A `serve` child process of this executable, one fresh server per scenario on its
        /// own data directory, so peak RSS is that server's own and `kill -9` is possible.
        case embedded(executable: String)
        /// A server somebody else runs. Peak RSS is unknown and `recovery` is skipped.
        case url(String, apiKey: String?)
    }

    /// Scenarios to run; they run in `ScenarioName.allCases` order whatever the order here.
    public var scenarios: [ScenarioName]
    public var target: Target
    public var sizes: BenchSizes
    /// Parent directory for the servers' data and the `sqlite-limit` file; a fresh temporary
    /// directory (removed afterwards) when nil. A given directory is kept.
    public var dataDirectory: String?
    /// Durability of the embedded servers' store and of the `sqlite-limit` file.
    public var synchronous: SQLiteSynchronous
    /// Recorded in the output so a smoke run is never mistaken for a measurement.
    public var smoke: Bool
    public var startsClient: StartsClient

    public init(
        scenarios: [ScenarioName] = ScenarioName.allCases, target: Target, sizes: BenchSizes = .full,
        dataDirectory: String? = nil, synchronous: SQLiteSynchronous = .full, smoke: Bool = false,
        startsClient: StartsClient = .socket
    ) {
        self.startsClient = startsClient
        self.scenarios = scenarios
        self.target = target
        self.sizes = sizes
        self.dataDirectory = dataDirectory
        self.synchronous = synchronous
        self.smoke = smoke
    }

    /// The selected scenarios, each once, in run order.
    var orderedScenarios: [ScenarioName] {
        ScenarioName.allCases.filter(scenarios.contains)
    }
}

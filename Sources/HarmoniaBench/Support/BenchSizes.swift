import HarmoniaCore

/// How big each scenario is. `full` is what issue 7 specifies; `smoke` proves the tool
/// works in seconds (the CLI smoke test); any field can be overridden by a flag.
public struct BenchSizes: Sendable, Hashable {
    /// `chain40`: sequential `harmonia.sleep` tasks and how long each sleeps.
    public var chainLength: Int
    public var chainSleepMilliseconds: Double
    /// `fanout`: tasks per layer and layers (width × layers tasks, at most 10,000).
    public var fanoutWidth: Int
    public var fanoutLayers: Int
    /// `fanin`: parallel tasks between the root and the join, for the measured run and for
    /// the wide run it is compared with (the wide workflow holds width + 2 tasks).
    public var faninWidth: Int = 1000
    public var faninWideWidth: Int = 9998
    /// `layers`: layers, and tasks per layer (each depends on every task of the layer before).
    public var layersCount: Int = 10
    public var layersWidth: Int = 100
    /// `starts`: executions started per second, for how many seconds.
    public var startsRate: Int
    public var startsSeconds: Double
    /// `concurrent`: executions of the ten-task workflow started at once.
    public var concurrentExecutions: Int
    /// `recovery`: executions in flight at the kill, and how long their in-flight task sleeps.
    public var recoveryExecutions: Int
    public var recoverySleepSeconds: Double
    /// `sqlite-limit`: how long each of the two phases runs, and rows per batched transaction.
    public var sqliteSeconds: Double
    public var sqliteBatchRows: Int
    /// `map`: items of the map task, and the instance limit of its second run.
    public var mapItems: Int = 10_000
    public var mapConcurrency: Int = 100

    public init(
        chainLength: Int, chainSleepMilliseconds: Double, fanoutWidth: Int, fanoutLayers: Int, startsRate: Int,
        startsSeconds: Double, concurrentExecutions: Int, recoveryExecutions: Int, recoverySleepSeconds: Double,
        sqliteSeconds: Double, sqliteBatchRows: Int
    ) {
        self.chainLength = chainLength
        self.chainSleepMilliseconds = chainSleepMilliseconds
        self.fanoutWidth = fanoutWidth
        self.fanoutLayers = fanoutLayers
        self.startsRate = startsRate
        self.startsSeconds = startsSeconds
        self.concurrentExecutions = concurrentExecutions
        self.recoveryExecutions = recoveryExecutions
        self.recoverySleepSeconds = recoverySleepSeconds
        self.sqliteSeconds = sqliteSeconds
        self.sqliteBatchRows = sqliteBatchRows
    }

    /// The sizes of issue 7.
    public static let full = BenchSizes(
        chainLength: 40, chainSleepMilliseconds: 10, fanoutWidth: 100, fanoutLayers: 100, startsRate: 500,
        startsSeconds: 10, concurrentExecutions: 1000, recoveryExecutions: 1000, recoverySleepSeconds: 3,
        sqliteSeconds: 2, sqliteBatchRows: 1000)

    /// Tiny sizes: every code path, a few seconds in a debug build.
    public static let smoke = BenchSizes(
        chainLength: 5, chainSleepMilliseconds: 10, fanoutWidth: 4, fanoutLayers: 3, startsRate: 20,
        startsSeconds: 1, concurrentExecutions: 10, recoveryExecutions: 5, recoverySleepSeconds: 2,
        sqliteSeconds: 0.2, sqliteBatchRows: 100
    ).with { $0.faninWidth = 5; $0.faninWideWidth = 20; $0.layersCount = 3; $0.layersWidth = 4; $0.mapItems = 20; $0.mapConcurrency = 3 }

    /// A copy with `change` applied (the smoke sizes of scenarios added after the initializer).
    func with(_ change: (inout BenchSizes) -> Void) -> BenchSizes {
        var copy = self
        change(&copy)
        return copy
    }

    /// The server refuses workflows with more tasks than this (`DefinitionValidator.maxTasks`).
    public static let maxTasksPerWorkflow = 10_000

    /// Throws `bench_invalid_option` naming the first size that cannot work.
    public func validate() throws {
        func require(_ condition: Bool, _ message: String) throws {
            if !condition { throw HarmoniaError(.benchInvalidOption, message) }
        }
        try require(chainLength >= 1 && chainLength <= Self.maxTasksPerWorkflow, "--chain-length must be 1...\(Self.maxTasksPerWorkflow), got \(chainLength)")
        try require(chainSleepMilliseconds >= 0 && chainSleepMilliseconds <= 60_000, "--chain-sleep-ms must be 0...60000, got \(chainSleepMilliseconds)")
        try require(fanoutWidth >= 1 && fanoutLayers >= 1, "--fanout-width and --fanout-layers must be at least 1")
        try require(
            fanoutWidth * fanoutLayers <= Self.maxTasksPerWorkflow,
            "--fanout-width × --fanout-layers must be at most \(Self.maxTasksPerWorkflow) tasks (the server's limit per workflow), got \(fanoutWidth * fanoutLayers)")
        try require(
            faninWidth >= 1 && faninWidth + 2 <= Self.maxTasksPerWorkflow,
            "--fanin-width must be 1...\(Self.maxTasksPerWorkflow - 2) (root and join make width + 2 tasks), got \(faninWidth)")
        try require(
            faninWideWidth >= 1 && faninWideWidth + 2 <= Self.maxTasksPerWorkflow,
            "--fanin-wide-width must be 1...\(Self.maxTasksPerWorkflow - 2) (root and join make width + 2 tasks), got \(faninWideWidth)")
        try require(layersCount >= 1 && layersWidth >= 1, "--layers and --layers-width must be at least 1")
        try require(
            layersCount * layersWidth <= Self.maxTasksPerWorkflow,
            "--layers × --layers-width must be at most \(Self.maxTasksPerWorkflow) tasks (the server's limit per workflow), got \(layersCount * layersWidth)")
        try require(startsRate >= 1 && startsRate <= 100_000, "--starts-rate must be 1...100000 per second, got \(startsRate)")
        try require(startsSeconds > 0 && startsSeconds <= 3600, "--starts-seconds must be above 0 and at most 3600, got \(startsSeconds)")
        try require(Double(startsRate) * startsSeconds >= 1, "--starts-rate × --starts-seconds must start at least one execution")
        try require(concurrentExecutions >= 1 && concurrentExecutions <= 100_000, "--concurrent-executions must be 1...100000, got \(concurrentExecutions)")
        try require(recoveryExecutions >= 1 && recoveryExecutions <= 100_000, "--recovery-executions must be 1...100000, got \(recoveryExecutions)")
        try require(recoverySleepSeconds >= 0.5 && recoverySleepSeconds <= 600, "--recovery-sleep-seconds must be 0.5...600, got \(recoverySleepSeconds)")
        try require(sqliteSeconds > 0 && sqliteSeconds <= 600, "--sqlite-seconds must be above 0 and at most 600, got \(sqliteSeconds)")
        try require(mapItems >= 0 && mapItems <= 100_000 && mapConcurrency >= 1, "map: items must be 0...100000 and the limit at least 1")
        try require(sqliteBatchRows >= 1 && sqliteBatchRows <= 1_000_000, "--sqlite-batch-rows must be 1...1000000, got \(sqliteBatchRows)")
    }

    /// The number of executions `starts` sends: rate × seconds, rounded.
    public var startsTotal: Int { max(1, Int((Double(startsRate) * startsSeconds).rounded())) }
}

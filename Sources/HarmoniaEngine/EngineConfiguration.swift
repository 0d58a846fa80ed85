/// Settings of the engine, built once from the server configuration.
public struct EngineConfiguration: Sendable, Hashable {
    /// Most tasks of one execution running at once when the workflow sets no limit; nil: none.
    public var defaultMaxConcurrency: Int?
    /// Environment variables `${env.NAME}` may read. Others resolve to an error.
    public var environmentAllowlist: [String]
    /// Seconds a graceful shutdown waits for in-flight task calls before leaving them to
    /// recovery at the next start.
    public var shutdownGracePeriod: Double
    /// Most inputs the engine applies in one group commit.
    public var maxBatchSize: Int
    /// Seconds between automatic `interval` checkpoints of a running execution, for
    /// workflows that set no `checkpoint_interval` of their own; nil or 0: none.
    public var checkpointInterval: Double?

    public init(
        defaultMaxConcurrency: Int? = nil, environmentAllowlist: [String] = [],
        shutdownGracePeriod: Double = 30, maxBatchSize: Int = 4096, checkpointInterval: Double? = nil
    ) {
        self.defaultMaxConcurrency = defaultMaxConcurrency
        self.environmentAllowlist = environmentAllowlist
        self.shutdownGracePeriod = shutdownGracePeriod
        self.maxBatchSize = maxBatchSize
        self.checkpointInterval = checkpointInterval
    }
}

/// A point-in-time view of the engine for `/api/v1/status` and `/ready`.
public struct EngineStatus: Sendable, Hashable {
    /// True once recovery finished and the engine accepts work.
    public var isReady: Bool
    /// True while a graceful shutdown drains in-flight work.
    public var isDraining: Bool
    /// Executions held in memory: pending, running or paused.
    public var activeExecutions: Int
    /// Adapter calls under way.
    public var inFlightTasks: Int
    /// Group commits done since start, and the inputs they carried.
    public var commits: Int
    public var committedInputs: Int
    /// Executions resumed by recovery at start-up.
    public var recoveredExecutions: Int
    /// Tasks ready to run but not yet dispatched, over all executions (the dispatch queue).
    public var readyTasks: Int = 0
}

/// One finished adapter call, as the engine timed it (dispatch to result).
public struct AdapterCallRecord: Sendable {
    public var component: String
    public var action: String
    public var duration: Duration
    /// `success`, or the failure's code.
    public var outcome: String
}

import HarmoniaCore

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
    /// Largest resolved task input, in bytes of compact JSON: a larger one fails the task
    /// with `input_too_large` before the call.
    public var maxTaskInputBytes: Int
    /// Largest task output, in bytes of compact JSON: a larger one fails the task with
    /// `output_too_large` instead of being stored. Without it, outputs that double from task
    /// to task turned a 4 KB request into gigabytes of memory and storage.
    public var maxTaskOutputBytes: Int
    /// Seconds an idempotency key is remembered: within it, the same key returns the earlier
    /// execution (or 409 for a different request); after it, the key starts a new one.
    public var idempotencyRetention: Double = 86_400
    /// Seconds between probe writes while the store refuses writes and nothing is being
    /// retried (`Store.probeWrite`): how soon `/ready` says ready again after space returns.
    public var storageProbeInterval: Double = 1
    /// Seconds before the inputs of an execution whose change could not be stored are
    /// delivered again (and a recovered execution recovered again); doubled after each
    /// further failed commit in a row, up to `maxRedeliveryDelay`, and back to this after a
    /// commit succeeds. A store that refuses writes for a while (a full disk) is then
    /// retried a few times quickly and afterwards not hammered.
    public var redeliveryDelay: Double = 1
    /// Longest delay the doubling of `redeliveryDelay` reaches.
    public var maxRedeliveryDelay: Double = 30
    /// Most requests (starts, pause/resume/cancel, checkpoints) waiting for the engine loop
    /// at once. Past it a request fails at once with `overloaded` (HTTP 503 with
    /// `Retry-After`) instead of queuing without bound while a slow commit holds the loop;
    /// nothing already accepted is affected. Task results and timers are never refused.
    public var maxQueuedRequests: Int = 10_000

    /// Seconds to wait before redelivering after `failures` earlier failed commits in a row
    /// (0 for the first failure): `redeliveryDelay` doubled that many times, capped.
    public func redeliveryDelay(afterFailedCommits failures: Int) -> Double {
        let initial = max(0, redeliveryDelay)
        var delay = initial
        for _ in 0..<min(max(0, failures), 64) where delay < maxRedeliveryDelay { delay *= 2 }
        return DurationLimit.clamped(min(delay, max(initial, maxRedeliveryDelay)))
    }

    /// 2 MiB: a task may carry a whole execution input of the old 1 MiB body limit twice over;
    /// the 4 MiB body default is sized for definitions with wide joins, not for task data.
    public static let defaultMaxTaskBytes = 2 << 20

    public init(
        defaultMaxConcurrency: Int? = nil, environmentAllowlist: [String] = [],
        shutdownGracePeriod: Double = 30, maxBatchSize: Int = 4096, checkpointInterval: Double? = nil,
        maxTaskInputBytes: Int = Self.defaultMaxTaskBytes, maxTaskOutputBytes: Int = Self.defaultMaxTaskBytes
    ) {
        self.defaultMaxConcurrency = defaultMaxConcurrency
        self.environmentAllowlist = environmentAllowlist
        self.shutdownGracePeriod = shutdownGracePeriod
        self.maxBatchSize = maxBatchSize
        self.checkpointInterval = checkpointInterval
        self.maxTaskInputBytes = maxTaskInputBytes
        self.maxTaskOutputBytes = maxTaskOutputBytes
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
    /// False while the store refuses writes (a full disk): the last commit failed for the
    /// store's own reasons. `/ready` answers 503 then.
    public var storageWritable: Bool = true
    /// Probe writes that failed since start-up (`Store.probeWrite`, while writes fail).
    public var storageProbeFailures: Int = 0
}

/// One finished adapter call, as the engine timed it (dispatch to result).
public struct AdapterCallRecord: Sendable {
    public var component: String
    public var action: String
    public var duration: Duration
    /// `success`, or the failure's code.
    public var outcome: String
}

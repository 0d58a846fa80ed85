import Foundation

/// A stored, validated workflow: a DAG of tasks plus the settings that govern its executions.
///
/// Definitions are versioned: replacing a workflow stores a new version under the same id,
/// and each execution pins the version it started with.
public struct WorkflowDefinition: Sendable, Hashable, Codable {
    /// UUID string.
    public var id: String
    public var name: String
    public var description: String
    /// 1 for the first version; each replace adds one.
    public var version: Int
    /// Tasks in definition order; order breaks ties when several tasks are ready at once.
    public var tasks: [TaskDefinition]
    /// JSON Schema (subset) the execution input must match; `input` is accepted as an alias.
    public var inputSchema: JSONValue?
    /// Input values an execution gets when its own input does not give them (the given
    /// input wins, key by key, at the top level). A template made from a saved workflow
    /// fills it with the template's parameter values, so that workflow reads them as
    /// `${input.NAME}`.
    public var defaultInput: [String: JSONValue]?
    /// JSON Schema describing the workflow's output; `output` is accepted as an alias.
    public var outputSchema: JSONValue?
    /// When true the first failed task cancels everything still running and skips the rest.
    public var failFast: Bool
    /// Seconds an execution may run in total before it fails with `workflow_timeout`.
    public var timeout: Double?
    /// Most tasks of one execution running at once; nil means no limit.
    public var maxConcurrency: Int?
    /// Seconds between automatic `interval` checkpoints while an execution runs; 0 turns
    /// them off for this workflow, nil leaves it to the engine's `checkpoint_interval`.
    public var checkpointInterval: Double?
    /// Default retry policy for tasks that have none of their own.
    public var retryPolicy: RetryPolicy?
    public var metadata: [String: JSONValue]
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String = UUID().uuidString.lowercased(), name: String, description: String = "",
        version: Int = 1, tasks: [TaskDefinition], inputSchema: JSONValue? = nil,
        defaultInput: [String: JSONValue]? = nil, outputSchema: JSONValue? = nil, failFast: Bool = false, timeout: Double? = nil,
        maxConcurrency: Int? = nil, checkpointInterval: Double? = nil, retryPolicy: RetryPolicy? = nil,
        metadata: [String: JSONValue] = [:], createdAt: Date = Date(), updatedAt: Date = Date()
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.version = version
        self.tasks = tasks
        self.inputSchema = inputSchema
        self.defaultInput = defaultInput
        self.outputSchema = outputSchema
        self.failFast = failFast
        self.timeout = timeout
        self.maxConcurrency = maxConcurrency
        self.checkpointInterval = checkpointInterval
        self.retryPolicy = retryPolicy
        self.metadata = metadata
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description, version, tasks
        case inputSchema = "input_schema"
        case defaultInput = "default_input"
        case outputSchema = "output_schema"
        case failFast = "fail_fast"
        case timeout
        case maxConcurrency = "max_concurrency"
        case checkpointInterval = "checkpoint_interval"
        case retryPolicy = "retry_policy"
        case metadata
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// The shortest `checkpoint_interval` accepted: shorter ones would checkpoint faster than
    /// a loaded engine commits, to no one's benefit.
    public static let minimumCheckpointInterval: Double = 0.1

    /// Whether `seconds` is a valid checkpoint interval: 0 (off), or at least the minimum
    /// and at most `DurationLimit.maximumSeconds` (a longer one overflowed the timer).
    public static func isValidCheckpointInterval(_ seconds: Double) -> Bool {
        seconds == 0 || (seconds >= minimumCheckpointInterval && DurationLimit.isWithinMaximum(seconds))
    }

    /// An execution's input: `defaultInput` with `given`'s top-level keys laid over it.
    /// A given input that is not an object (or is absent) is left as it is when there are
    /// no defaults; with defaults, an absent or `null` input means just the defaults.
    public func effectiveInput(_ given: JSONValue?) -> JSONValue? {
        guard let defaults = defaultInput, !defaults.isEmpty else { return given }
        switch given {
        case nil, .null?:
            return .object(defaults)
        case .object(let members)?:
            return .object(defaults.merging(members) { _, given in given })
        default:
            return given
        }
    }

    /// What a valid checkpoint interval is, in words for error messages.
    public static let checkpointIntervalRequirement =
        "0 (off) or between \(minimumCheckpointInterval) and \(DurationLimit.maximumDescription)"

    /// The task with `id`, if any.
    public func task(_ id: String) -> TaskDefinition? {
        tasks.first { $0.id == id }
    }

    /// The retry policy that applies to `task`: its own, else the workflow default, else none.
    public func effectiveRetryPolicy(for task: TaskDefinition) -> RetryPolicy? {
        task.retryPolicy ?? retryPolicy
    }
}

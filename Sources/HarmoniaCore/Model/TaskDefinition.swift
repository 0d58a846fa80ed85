/// One node of a workflow's DAG: which component does what, with which input, after what.
public struct TaskDefinition: Sendable, Hashable, Codable {
    /// Unique within the workflow; `depends_on` and `${tasks.<id>...}` refer to it.
    public var id: String
    /// Display name; defaults to the id.
    public var name: String
    /// Component that runs the task: `harmonia` (built in), `ergon`, `prometheus`, ...
    public var component: String
    /// The component's action, such as `echo` or `execute_command`.
    public var action: String
    /// The action's input. Strings may hold `${...}` expressions, resolved at dispatch.
    public var input: JSONValue
    /// Ids of tasks that must complete first. Validation adds tasks referenced by expressions.
    public var dependsOn: [String]
    /// Optional condition: a string in the condition language or the dict form. When it is
    /// false the task and its dependents are skipped.
    public var condition: JSONValue?
    /// How failures are retried; nil means no retries.
    public var retryPolicy: RetryPolicy?
    /// Seconds one attempt may run before it is canceled and counted as a `timeout` failure.
    public var timeout: Double?
    /// Free-form metadata carried along (and `metadata.condition` is accepted as a condition).
    public var metadata: [String: JSONValue]
    /// Makes this a map task: a list, or one `${...}` expression resolving to a list; the
    /// task runs once per item, with `${item}` and `${index}` in its input.
    public var forEach: JSONValue?
    /// Most instances of a map task in flight at once; nil for no limit.
    public var maxConcurrency: Int?

    /// Whether the task runs once per item of `for_each`.
    public var isMap: Bool { forEach != nil }

    public init(
        id: String, name: String? = nil, component: String, action: String,
        input: JSONValue = .emptyObject, dependsOn: [String] = [], condition: JSONValue? = nil,
        retryPolicy: RetryPolicy? = nil, timeout: Double? = nil, metadata: [String: JSONValue] = [:],
        forEach: JSONValue? = nil, maxConcurrency: Int? = nil
    ) {
        self.id = id
        self.name = name ?? id
        self.component = component
        self.action = action
        self.input = input
        self.dependsOn = dependsOn
        self.condition = condition
        self.retryPolicy = retryPolicy
        self.timeout = timeout
        self.metadata = metadata
        self.forEach = forEach
        self.maxConcurrency = maxConcurrency
    }

    enum CodingKeys: String, CodingKey {
        case id, name, component, action, input
        case dependsOn = "depends_on"
        case condition
        case retryPolicy = "retry_policy"
        case timeout, metadata
        case forEach = "for_each"
        case maxConcurrency = "max_concurrency"
    }
}

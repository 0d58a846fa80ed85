/// What expressions can see when a task is dispatched.
///
/// Built by the engine from the execution's state; a plain value so resolution stays pure and
/// can run on any thread. Only allow-listed environment variables are ever put in `env`, so an
/// expression cannot read the server's secrets.
public struct ExpressionContext: Sendable {
    /// The workflow's input (`${input...}`).
    public var input: JSONValue
    /// Outputs of completed tasks by task id (`${tasks.<id>...}`).
    public var taskOutputs: [String: JSONValue]
    /// The workflow: id, name, version (`${workflow...}`).
    public var workflow: JSONValue
    /// The execution: id, workflow_id, started_at, metadata... (`${execution...}`).
    public var execution: JSONValue
    /// Allow-listed environment variables (`${env.NAME}`).
    public var env: [String: String]
    /// In an instance of a map task: its item (`${item}`) and position (`${index}`).
    public var item: JSONValue?
    public var index: Int?

    /// Everything defaults to empty: an expression that reads a missing part fails to resolve.
    public init(
        input: JSONValue = .emptyObject, taskOutputs: [String: JSONValue] = [:],
        workflow: JSONValue = .emptyObject, execution: JSONValue = .emptyObject,
        env: [String: String] = [:]
    ) {
        self.input = input
        self.taskOutputs = taskOutputs
        self.workflow = workflow
        self.execution = execution
        self.env = env
    }
}

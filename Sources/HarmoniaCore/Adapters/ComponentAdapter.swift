import Foundation

/// The one way a task reaches the world: an adapter serves one component's actions.
///
/// The built-in `harmonia` component and every dlopen'ed plugin implement this same
/// protocol, so the engine never knows which kind it calls. `invoke` must honour task
/// cancellation (the engine cancels the calling task on timeout and on workflow cancel)
/// and should give up by `invocation.deadline`. It returns a result instead of throwing so
/// that every failure carries a code and a retryable flag.
public protocol ComponentAdapter: Sendable {
    /// The component name tasks use, lower case (`harmonia`, `ergon`, ...).
    var component: String { get }
    /// The actions this adapter offers, with their input schemas.
    var actions: [ActionDescriptor] { get }
    /// Runs one action; must return exactly once.
    func invoke(_ invocation: Invocation) async -> InvocationResult
    /// True when a call has no effect outside this process: nothing is sent, written or
    /// started elsewhere, and all it produces is its result.
    ///
    /// The engine may start such a call while the task's start is still being committed,
    /// because an attempt that a crash leaves unrecorded did nothing anyone could observe;
    /// its result is recorded only after the start. Every other call starts once its start
    /// is durable, so no outside effect happens without a trace. Defaults to false.
    var isSideEffectFree: Bool { get }
    /// The result of `action` on `input` when the adapter can give it at once, without
    /// waiting for anything; nil otherwise (the call then runs through `invoke`).
    ///
    /// Only consulted for side-effect-free adapters: the engine then records the result
    /// without starting a task for the call. Defaults to nil.
    func immediateResult(action: String, input: JSONValue) -> InvocationResult?
}

extension ComponentAdapter {
    public var isSideEffectFree: Bool { false }
    public func immediateResult(action: String, input: JSONValue) -> InvocationResult? { nil }
}

/// Describes one action of a component.
public struct ActionDescriptor: Sendable, Hashable, Codable {
    public var name: String
    public var description: String
    /// JSON Schema of the action's input.
    public var inputSchema: JSONValue

    public init(name: String, description: String, inputSchema: JSONValue = .emptyObject) {
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
    }

    enum CodingKeys: String, CodingKey {
        case name, description
        case inputSchema = "input_schema"
    }
}

/// One call of an action for one task attempt.
public struct Invocation: Sendable {
    public var executionID: String
    public var taskID: String
    public var attempt: Int
    public var action: String
    /// The task input with every expression resolved.
    public var input: JSONValue
    /// When the call must be finished (task timeout), if any.
    public var deadline: Date?
    /// Reports progress text; it becomes a `custom` event in the execution log.
    public var progress: @Sendable (String) -> Void

    /// `<execution_id>:<task_id>`: stable across attempts, for components that deduplicate.
    public var idempotencyKey: String { "\(executionID):\(taskID)" }

    public init(
        executionID: String, taskID: String, attempt: Int, action: String, input: JSONValue,
        deadline: Date? = nil, progress: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.executionID = executionID
        self.taskID = taskID
        self.attempt = attempt
        self.action = action
        self.input = input
        self.deadline = deadline
        self.progress = progress
    }
}

/// The outcome of an invocation.
public enum InvocationResult: Sendable, Hashable {
    case success(JSONValue)
    case failure(TaskFailure)
}

/// The error every Harmonia layer throws for something a caller can act on.
///
/// A stable snake_case `code` identifies the kind of failure across versions and over the
/// wire; the `message` is for people. Two errors are equal when their codes are equal, so
/// tests and callers match on codes, never on message text. HTTP statuses are assigned only
/// at the server's edge. Messages never contain secrets.
public struct HarmoniaError: Error, Sendable, CustomStringConvertible {
    /// A stable, extensible error code.
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible, ExpressibleByStringLiteral {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public var description: String { rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human-readable explanation naming what is wrong and where.
    public var message: String
    /// The JSON path of the offending value in a request or definition, such as `tasks.b.depends_on[0]`.
    public var path: String?
    /// Further problems found at the same time (validation reports all of them at once).
    public var problems: [Problem]

    /// One problem in a multi-problem error.
    public struct Problem: Sendable, Hashable, Codable {
        public var code: String
        public var message: String
        public var path: String?
        public init(code: String, message: String, path: String? = nil) {
            self.code = code
            self.message = message
            self.path = path
        }
    }

    public init(_ code: Code, _ message: String, path: String? = nil, problems: [Problem] = []) {
        self.code = code
        self.message = message
        self.path = path
        self.problems = problems
    }

    public var description: String {
        if let path { return "\(code): \(message) (at \(path))" }
        return "\(code): \(message)"
    }
}

extension HarmoniaError: Equatable {
    public static func == (lhs: HarmoniaError, rhs: HarmoniaError) -> Bool { lhs.code == rhs.code }
}

extension HarmoniaError.Code {
    // Request and definition problems.
    /// The body is not well-formed JSON or YAML.
    public static let invalidJSON: Self = "invalid_json"
    /// A request field is missing or has the wrong type.
    public static let invalidRequest: Self = "invalid_request"
    /// A workflow definition failed validation (the problems list says where).
    public static let invalidDefinition: Self = "invalid_definition"
    /// A task lists a dependency that is not a task of the workflow.
    public static let unknownDependency: Self = "unknown_dependency"
    /// The dependencies form a cycle; the message names it.
    public static let dependencyCycle: Self = "dependency_cycle"
    /// Two tasks share an id.
    public static let duplicateTaskID: Self = "duplicate_task_id"
    /// The workflow has no tasks.
    public static let emptyWorkflow: Self = "empty_workflow"
    /// An expression or condition does not parse.
    public static let malformedExpression: Self = "malformed_expression"
    /// An expression refers to a root other than input, tasks, workflow, execution or env.
    public static let unknownExpressionRoot: Self = "unknown_expression_root"
    /// An expression refers to a task that does not exist.
    public static let unknownTaskReference: Self = "unknown_task_reference"
    /// A retry policy has an out-of-range value.
    public static let invalidRetryPolicy: Self = "invalid_retry_policy"
    /// The workflow input does not match the input schema, or is not an object.
    public static let invalidInput: Self = "invalid_input"
    /// The request body exceeds the configured limit.
    public static let payloadTooLarge: Self = "payload_too_large"

    // Lookup and state.
    /// No resource with that id.
    public static let notFound: Self = "not_found"
    /// The operation is not allowed in the resource's current state.
    public static let invalidState: Self = "invalid_state"
    /// Missing or wrong API key.
    public static let unauthorized: Self = "unauthorized"
    /// The server is starting or stopping.
    public static let notReady: Self = "not_ready"
    /// Too many requests wait for the engine; retry shortly (HTTP 503 with `Retry-After`).
    public static let overloaded: Self = "overloaded"
    /// The caller is known (or needs no key) but may not do this from where it is.
    public static let forbidden: Self = "forbidden"

    // Execution time.
    /// An expression referred to something that does not exist at run time.
    public static let expressionError: Self = "expression_error"
    /// No adapter serves the task's component.
    public static let componentUnavailable: Self = "component_unavailable"
    /// The adapter does not offer the task's action.
    public static let unknownAction: Self = "unknown_action"
    /// The task ran past its timeout.
    public static let timeout: Self = "timeout"
    /// The workflow ran past its timeout.
    public static let workflowTimeout: Self = "workflow_timeout"
    /// The task was canceled.
    public static let canceled: Self = "canceled"
    /// A task failed on purpose (the built-in `fail` action) or with no more specific code.
    public static let taskFailed: Self = "task_failed"
    /// A task's resolved input is larger than the engine's `max_task_input_bytes`.
    public static let inputTooLarge: Self = "input_too_large"
    /// A task's output is larger than the engine's `max_task_output_bytes`.
    public static let outputTooLarge: Self = "output_too_large"

    // Storage.
    /// The store could not complete an operation.
    public static let storageFailure: Self = "storage_failure"
    /// A commit would break the gap-free event sequence of an execution.
    public static let sequenceConflict: Self = "sequence_conflict"
    /// A schedule's cron expression, time zone or interval is not valid.
    public static let invalidSchedule: Self = "invalid_schedule"
    /// An id (or an idempotency key, at the store) is already taken.
    public static let conflict: Self = "conflict"
    /// An idempotency key was sent again, within its retention window, with a different
    /// request (another workflow, input or metadata): 409, and nothing is started.
    public static let idempotencyKeyReused: Self = "idempotency_key_reused"
    /// The store cannot write (disk full, I/O error, read-only): the server answers 503 and
    /// `/ready` says not ready until a write succeeds again.
    public static let storageUnavailable: Self = "storage_unavailable"
}

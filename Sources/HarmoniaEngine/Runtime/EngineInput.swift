import HarmoniaCore

/// Everything that reaches the engine loop, through its mailbox.
enum EngineInput: Sendable {
    /// A new execution to store and start.
    case create(ExecutionState, WorkflowDefinition, Reply<ExecutionState>)
    /// Pause, resume or cancel requested by a client.
    case control(String, ControlCommand, Reply<ExecutionState>)
    /// An adapter call ended.
    case taskResult(executionID: String, taskID: String, attempt: Int, InvocationResult)
    /// An adapter reported progress.
    case progress(executionID: String, taskID: String, attempt: Int, message: String)
    /// A timer came due.
    case timer(executionID: String, SchedulerTimer)
    /// A dispatch found its component known but unavailable.
    case componentWaiting(executionID: String, taskID: String, attempt: Int, reason: String)
    /// An adapter was registered for a component.
    case componentAvailable(String)
    /// Take a checkpoint. A finished execution is not in memory: its stored state and
    /// definition come along so the loop can snapshot it.
    case checkpoint(String, reason: String, finished: (ExecutionState, WorkflowDefinition)?, Reply<Checkpoint>)
    /// The interval-checkpoint timer fired: check every running execution.
    case intervalCheckpoints(IntervalCheckpoints)
    /// Graceful shutdown began: stop dispatching, drain in-flight calls.
    case shutdown
    /// The drain grace period elapsed.
    case drainDeadline
    /// Re-delivers inputs whose commit failed, after a pause.
    case retry([EngineInput])
    /// Recovers an unfinished execution again: its recovery commit failed (a full disk at
    /// start-up), and a recovered execution is retried until it is stored, never dropped.
    case recover(ExecutionState, WorkflowDefinition)
    /// A client sent a signal; the reply is the signal as stored (consumed or pending).
    case signal(String, ExecutionSignal, Reply<ExecutionSignal>)

    /// Answers a waiting caller with `error`; inputs nobody waits for are dropped.
    func fail(_ error: any Error) {
        switch self {
        case .create(_, _, let reply): reply.fail(error)
        case .control(_, _, let reply): reply.fail(error)
        case .checkpoint(_, _, _, let reply): reply.fail(error)
        case .signal(_, _, let reply): reply.fail(error)
        case .retry(let inputs): for input in inputs { input.fail(error) }
        default: break
        }
    }

    var executionID: String? {
        switch self {
        case .create(let state, _, _), .recover(let state, _): return state.id
        case .control(let id, _, _), .checkpoint(let id, _, _, _), .signal(let id, _, _): return id
        case .taskResult(let id, _, _, _), .progress(let id, _, _, _), .timer(let id, _), .componentWaiting(let id, _, _, _): return id
        case .shutdown, .drainDeadline, .retry, .componentAvailable, .intervalCheckpoints: return nil
        }
    }
}

/// A client's request to change an execution's course.
enum ControlCommand: Sendable {
    case pause, resume
    case cancel(reason: String)

    var schedulerInput: SchedulerInput {
        switch self {
        case .pause: return .pause
        case .resume: return .resume
        case .cancel(let reason): return .cancel(reason: reason)
        }
    }

    var pastTense: String {
        switch self {
        case .pause: return "paused"
        case .resume: return "resumed"
        case .cancel: return "canceled"
        }
    }
}

/// A one-shot answer to a caller waiting on the engine.
struct Reply<Value: Sendable>: Sendable {
    let continuation: CheckedContinuation<Value, any Error>

    init(_ continuation: CheckedContinuation<Value, any Error>) {
        self.continuation = continuation
    }

    func succeed(_ value: Value) { continuation.resume(returning: value) }
    func fail(_ error: any Error) { continuation.resume(throwing: error) }
}

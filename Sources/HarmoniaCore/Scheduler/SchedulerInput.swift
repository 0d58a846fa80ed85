import Foundation

/// Something that happened to an execution, fed to `ExecutionMachine.handle`.
public enum SchedulerInput: Sendable, Hashable {
    /// Begin a pending execution.
    case start
    /// An adapter call finished successfully.
    case taskSucceeded(taskID: String, attempt: Int, output: JSONValue)
    /// An adapter call failed (or could not be made).
    case taskFailed(taskID: String, attempt: Int, failure: TaskFailure)
    /// A durable timer came due.
    case timerFired(SchedulerTimer)
    /// Stop dispatching new tasks; running ones finish.
    case pause
    /// Continue a paused execution.
    case resume
    /// Cancel in-flight calls and finish as `canceled`.
    case cancel(reason: String)
    /// The process restarted: re-dispatch what was in flight and re-arm timers.
    case recover
    /// An adapter reported progress for a running attempt.
    case progress(taskID: String, attempt: Int, message: String)
    /// The attempt could not be dispatched: its component is known but not available now.
    /// The task waits (visibly) until the component returns or its timeout passes.
    case componentUnavailable(taskID: String, attempt: Int, reason: String)
    /// A component became available: its waiting tasks are dispatched again.
    case componentAvailable(component: String)
    /// Take a checkpoint now (allowed in every status, so a failed execution can be restored).
    case checkpoint(id: String, reason: String)
    /// A signal arrived: it completes the first task waiting for its name, or is kept.
    case signalReceived(ExecutionSignal)
}

/// Timers the scheduler asks the runner to arm. Their due times are also stored in the
/// execution and task rows, so recovery can re-arm them.
public enum SchedulerTimer: Sendable, Hashable {
    /// The backoff after failed `attempt` of a task has elapsed.
    case retry(taskID: String, attempt: Int)
    /// `attempt` of a task has run for its whole timeout.
    case taskTimeout(taskID: String, attempt: Int)
    /// The whole execution has run for the workflow's timeout.
    case workflowTimeout
}

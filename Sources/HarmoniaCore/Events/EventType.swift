/// The kinds of entries in an execution's event log (Tekton's names).
public enum EventType: String, Sendable, Hashable, Codable, CaseIterable {
    case workflowStarted = "workflow_started"
    case workflowCompleted = "workflow_completed"
    case workflowFailed = "workflow_failed"
    case workflowPaused = "workflow_paused"
    case workflowResumed = "workflow_resumed"
    case workflowCanceled = "workflow_canceled"
    case taskStarted = "task_started"
    case taskCompleted = "task_completed"
    case taskFailed = "task_failed"
    case taskSkipped = "task_skipped"
    case taskCanceled = "task_canceled"
    case retryAttempted = "retry_attempted"
    /// An instance of a map task was dispatched (`index`, `attempt`).
    case taskInstanceStarted = "task_instance_started"
    /// An instance of a map task completed (`index`, `attempt`, `output`).
    case taskInstanceCompleted = "task_instance_completed"
    /// An attempt of an instance failed (`index`, `attempt`, `code`, `error`, `will_retry`).
    case taskInstanceFailed = "task_instance_failed"
    case timeoutOccurred = "timeout_occurred"
    case checkpointCreated = "checkpoint_created"
    case stateChanged = "state_changed"
    case errorOccurred = "error_occurred"
    /// A signal reached the execution (`POST /api/v1/executions/{id}/signals/{name}`).
    case signalReceived = "signal_received"
    case custom

    /// True for the events after which an execution never changes again.
    public var isTerminal: Bool {
        self == .workflowCompleted || self == .workflowFailed || self == .workflowCanceled
    }
}

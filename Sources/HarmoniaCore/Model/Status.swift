/// Status of a workflow execution (Tekton's strings).
public enum WorkflowStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case pending, running, paused, completed, failed, canceled

    /// Completed, failed and canceled executions never change again.
    public var isTerminal: Bool {
        switch self {
        case .completed, .failed, .canceled: return true
        case .pending, .running, .paused: return false
        }
    }
}

/// Status of one task within an execution.
public enum TaskStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Not yet dispatched (dependencies unfinished, paused, or held by the concurrency limit).
    case pending
    /// Ready but its component is unavailable; the reason is recorded.
    case waiting
    /// Dispatched to its adapter.
    case running
    /// Failed and waiting for its retry backoff to elapse.
    case retrying
    case completed, failed, skipped, canceled

    /// Completed, failed, skipped and canceled tasks never change again in this execution.
    public var isTerminal: Bool {
        switch self {
        case .completed, .failed, .skipped, .canceled: return true
        case .pending, .waiting, .running, .retrying: return false
        }
    }
}

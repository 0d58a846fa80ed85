extension HarmoniaError.Code {
    /// A `harmonia.wait_for_signal` task's `timeout` passed before its signal arrived.
    public static let signalTimeout: Self = "signal_timeout"
    /// A `harmonia.run_workflow` task names a workflow (or version) that does not exist.
    public static let workflowNotFound: Self = "workflow_not_found"
    /// A `harmonia.run_workflow` task would nest executions deeper than the limit.
    public static let workflowDepthExceeded: Self = "workflow_depth_exceeded"
    /// The child execution of a `harmonia.run_workflow` task failed or was canceled.
    public static let childExecutionFailed: Self = "child_execution_failed"
}

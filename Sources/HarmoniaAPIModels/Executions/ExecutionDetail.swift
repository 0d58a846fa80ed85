import HarmoniaCore

/// The data of `GET /executions/{id}`: the execution with its tasks, the exact definition
/// version it runs, and task counts.
public struct ExecutionDetail: Codable, Sendable, Hashable {
    public var execution: ExecutionView
    /// The pinned definition version; nil only if the store lost it.
    public var workflowDefinition: WorkflowView?
    public var summary: ExecutionSummary

    public init(execution: ExecutionView, workflowDefinition: WorkflowView?, summary: ExecutionSummary) {
        self.execution = execution
        self.workflowDefinition = workflowDefinition
        self.summary = summary
    }

    /// The detail of `state` run under `definition`.
    public init(_ state: ExecutionState, definition: WorkflowDefinition?) {
        var view = ExecutionView(state)
        for task in definition?.tasks ?? [] where FlowAction.of(task) == .runWorkflow {
            guard let attempt = state.tasks[task.id]?.attempt, attempt > 0 else { continue }
            view.childExecutionIDs[task.id] = ChildExecutionID.make(parent: state.id, taskID: task.id, attempt: attempt)
        }
        self.init(
            execution: view, workflowDefinition: definition.map { WorkflowView($0) },
            summary: ExecutionSummary(tasks: state.tasks.values))
    }

    enum CodingKeys: String, CodingKey {
        case execution
        case workflowDefinition = "workflow_definition"
        case summary
    }
}

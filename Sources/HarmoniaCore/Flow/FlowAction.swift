/// The built-in actions that wait without holding a call: the engine never invokes an
/// adapter for them. The task stays `running` while it waits, and what it waits for is
/// derived from its stored state, so a restart finds the same wait.
public enum FlowAction: String, Sendable, Hashable, CaseIterable {
    /// `harmonia.wait_for_signal`: completes with the payload of a signal of its `name`.
    case waitForSignal = "wait_for_signal"
    /// `harmonia.run_workflow`: completes with the output of a child execution.
    case runWorkflow = "run_workflow"

    /// The flow action `task` runs, if it runs one.
    public static func of(_ task: TaskDefinition) -> FlowAction? {
        // Cheap rejection first: this runs on every dispatch.
        guard task.component.utf8.count == 8, task.component.lowercased() == "harmonia" else { return nil }
        return FlowAction(rawValue: task.action)
    }

    /// Deepest nesting of `harmonia.run_workflow`: a top-level execution is depth 0, so at
    /// most 10 generations of children run below it.
    public static let maxDepth = 10
}

/// A child execution to start (or find, after a restart) for one attempt of a
/// `harmonia.run_workflow` task.
public struct ChildStart: Sendable, Hashable {
    public var taskID: String
    public var attempt: Int
    /// `ChildExecutionID.make(parent:taskID:attempt:)`.
    public var childExecutionID: String
    public var workflowID: String
    /// Nil for the workflow's newest version.
    public var version: Int?
    public var input: JSONValue
}

/// What a parent's pause, resume or cancel asks of its running children.
public enum ChildControl: Sendable, Hashable {
    case pause, resume
    case cancel(reason: String)
}

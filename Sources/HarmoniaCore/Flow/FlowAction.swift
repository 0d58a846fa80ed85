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

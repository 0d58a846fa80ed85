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

/// A page of `GET /workflows`: the newest version of each live workflow, newest first.
public struct WorkflowList: Codable, Sendable, Hashable {
    public var workflows: [WorkflowView]
    /// Number of workflows in this page.
    public var count: Int
    public var limit: Int
    public var offset: Int

    public init(workflows: [WorkflowView], limit: Int, offset: Int) {
        self.workflows = workflows
        self.count = workflows.count
        self.limit = limit
        self.offset = offset
    }
}

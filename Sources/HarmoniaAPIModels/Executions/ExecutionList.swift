/// A page of `GET /executions`: execution rows (without tasks), newest first.
public struct ExecutionList: Codable, Sendable, Hashable {
    public var executions: [ExecutionView]
    /// Number of executions in this page.
    public var count: Int
    public var limit: Int
    public var offset: Int

    public init(executions: [ExecutionView], limit: Int, offset: Int) {
        self.executions = executions
        self.count = executions.count
        self.limit = limit
        self.offset = offset
    }
}

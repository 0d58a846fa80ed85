import Foundation

/// Where a child execution (started by `harmonia.run_workflow`) comes from.
public struct ExecutionParent: Sendable, Hashable, Codable {
    public var executionID: String
    public var taskID: String
    /// 1 for a child of a top-level execution, 2 for a grandchild, ...
    public var depth: Int

    public init(executionID: String, taskID: String, depth: Int) {
        self.executionID = executionID
        self.taskID = taskID
        self.depth = depth
    }

    enum CodingKeys: String, CodingKey {
        case executionID = "execution_id"
        case taskID = "task_id"
        case depth
    }
}

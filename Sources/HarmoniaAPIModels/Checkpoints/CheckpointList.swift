/// The data of `GET /executions/{id}/checkpoints`: the execution's checkpoints, oldest first.
public struct CheckpointList: Codable, Sendable, Hashable {
    public var executionID: String
    public var checkpoints: [CheckpointSummary]
    public var count: Int

    public init(executionID: String, checkpoints: [CheckpointSummary]) {
        self.executionID = executionID
        self.checkpoints = checkpoints
        self.count = checkpoints.count
    }

    enum CodingKeys: String, CodingKey {
        case executionID = "execution_id"
        case checkpoints, count
    }
}

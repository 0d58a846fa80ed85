import HarmoniaAPIModels
import HarmoniaCore
import NIOHTTP1

extension HarmoniaClient {
    /// `POST /executions/{id}/checkpoint`: snapshots the execution (in any status) at its
    /// current log position; `reason` defaults to `manual` on the server.
    public func createCheckpoint(executionID: String, reason: String? = nil) async throws -> CheckpointView {
        let body: JSONValue = reason.map { .object(["reason": .string($0)]) } ?? .emptyObject
        return try await send(
            CheckpointView.self, .POST, Self.apiPath("executions", executionID, "checkpoint"), body: body)
    }

    /// `GET /executions/{id}/checkpoints`: the execution's checkpoints, oldest first, including
    /// the automatic ones taken on pause and cancel.
    public func listCheckpoints(executionID: String) async throws -> CheckpointList {
        try await send(CheckpointList.self, .GET, Self.apiPath("executions", executionID, "checkpoints"))
    }

    /// `GET /checkpoints/{id}`: one checkpoint with its snapshot of the execution and tasks.
    public func getCheckpoint(id: String) async throws -> CheckpointView {
        try await send(CheckpointView.self, .GET, Self.apiPath("checkpoints", id))
    }

    /// `POST /checkpoints/{id}/restore`: starts a new execution that keeps the completed
    /// tasks' outputs and runs only the rest (a failed execution re-runs from its failed
    /// tasks). The result names the new execution and the one it was restored from.
    public func restoreFromCheckpoint(checkpointID: String) async throws -> RestoredExecution {
        try await send(
            RestoredExecution.self, .POST, Self.apiPath("checkpoints", checkpointID, "restore"), body: .emptyObject)
    }
}

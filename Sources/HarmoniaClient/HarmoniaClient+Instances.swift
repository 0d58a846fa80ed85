import HarmoniaAPIModels
import HarmoniaCore
import NIOHTTP1

extension HarmoniaClient {
    /// `GET /executions/{id}/tasks/{task}/instances`: one page of a map task's instances in
    /// item order, with counts over all of them (a map may hold 10,000, so they come in pages).
    public func taskInstances(
        executionID: String, taskID: String, offset: Int? = nil, limit: Int? = nil
    ) async throws -> TaskInstancePage {
        try await send(
            TaskInstancePage.self, .GET, Self.apiPath("executions", executionID, "tasks", taskID, "instances"),
            query: [("offset", offset.map(String.init)), ("limit", limit.map(String.init))])
    }
}

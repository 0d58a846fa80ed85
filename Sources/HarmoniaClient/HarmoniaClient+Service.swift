import HarmoniaAPIModels
import HarmoniaCore
import NIOHTTP1

extension HarmoniaClient {
    /// `GET /`: the service's name, version and the routes it serves.
    public func serviceInfo() async throws -> ServiceInfo {
        try await send(ServiceInfo.self, .GET, "/")
    }

    /// `GET /discovery`: the component description Tekton's registry reads.
    public func discovery() async throws -> DiscoveryResponse {
        try await send(DiscoveryResponse.self, .GET, "/discovery")
    }

    /// `POST /workflows/{id}/execute`: starts an execution of a stored workflow, the same as
    /// `executeWorkflow(workflowID:)` through the workflow's own route, with an optional
    /// `workflowVersion` to run an older version.
    public func startWorkflow(
        id: String, input: JSONValue = .emptyObject, metadata: [String: JSONValue] = [:], workflowVersion: Int? = nil,
        idempotencyKey: String? = nil
    ) async throws -> ExecutionStatusView {
        var body: [String: JSONValue] = ["input": input, "metadata": .object(metadata)]
        if let workflowVersion { body["workflow_version"] = .integer(workflowVersion) }
        if let idempotencyKey { body["idempotency_key"] = .string(idempotencyKey) }
        return try await send(ExecutionStatusView.self, .POST, Self.apiPath("workflows", id, "execute"), body: .object(body))
    }
}

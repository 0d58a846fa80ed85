import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import NIOHTTP1

extension HarmoniaClient {
    /// `POST /executions`: starts an execution of the newest version of a workflow.
    ///
    /// With an `idempotencyKey`, repeating the call returns the first execution instead of
    /// starting another, so a client may retry after a timeout without running twice.
    public func executeWorkflow(
        workflowID: String, input: JSONValue = .emptyObject, metadata: [String: JSONValue] = [:],
        idempotencyKey: String? = nil
    ) async throws -> ExecutionStatusView {
        var body: [String: JSONValue] = [
            "workflow_id": .string(workflowID), "input": input, "metadata": .object(metadata),
        ]
        if let idempotencyKey { body["idempotency_key"] = .string(idempotencyKey) }
        return try await send(ExecutionStatusView.self, .POST, Self.apiPath("executions"), body: .object(body))
    }

    /// `GET /executions/{id}`: the execution with every task, its definition and counts.
    public func getExecution(id: String) async throws -> ExecutionDetail {
        try await send(ExecutionDetail.self, .GET, Self.apiPath("executions", id))
    }

    /// `GET /executions/{id}/explain`: what each unfinished task waits for, and whether the
    /// execution can still progress.
    public func explainExecution(id: String) async throws -> ExecutionExplanationView {
        try await send(ExecutionExplanationView.self, .GET, Self.apiPath("executions", id, "explain"))
    }

    /// `POST /executions/{id}/retry`: a new execution of a failed or canceled one that keeps
    /// its completed tasks' outputs and runs the rest.
    public func retryExecution(id: String) async throws -> ExecutionStatusView {
        try await send(ExecutionStatusView.self, .POST, Self.apiPath("executions", id, "retry"))
    }

    /// The Tekton client's name for `getExecution(id:)`.
    public func getWorkflowStatus(executionID: String) async throws -> ExecutionDetail {
        try await getExecution(id: executionID)
    }

    /// `GET /executions`: execution rows (without tasks), newest first.
    public func listExecutions(
        status: WorkflowStatus? = nil, workflowID: String? = nil, createdAfter: Date? = nil, createdBefore: Date? = nil,
        limit: Int? = nil, offset: Int? = nil
    ) async throws -> ExecutionList {
        try await send(
            ExecutionList.self, .GET, Self.apiPath("executions"),
            query: [
                ("status", status?.rawValue), ("workflow_id", workflowID),
                ("created_after", createdAfter.map(APICoding.formatTimestamp)),
                ("created_before", createdBefore.map(APICoding.formatTimestamp)),
                ("limit", limit.map(String.init)), ("offset", offset.map(String.init)),
            ])
    }

    /// `POST /executions/{id}/cancel`: cancels in-flight calls; 409 (`invalid_state`) once finished.
    @discardableResult
    public func cancelWorkflow(executionID: String, reason: String? = nil) async throws -> ExecutionStatusView {
        let body: JSONValue = reason.map { .object(["reason": .string($0)]) } ?? .emptyObject
        return try await send(
            ExecutionStatusView.self, .POST, Self.apiPath("executions", executionID, "cancel"), body: body)
    }

    /// `POST /executions/{id}/pause`: stops new dispatches; running tasks finish.
    @discardableResult
    public func pauseWorkflow(executionID: String) async throws -> ExecutionStatusView {
        try await send(
            ExecutionStatusView.self, .POST, Self.apiPath("executions", executionID, "pause"), body: .emptyObject)
    }

    /// `POST /executions/{id}/resume`: continues a paused execution; 409 when it is not paused.
    @discardableResult
    public func resumeWorkflow(executionID: String) async throws -> ExecutionStatusView {
        try await send(
            ExecutionStatusView.self, .POST, Self.apiPath("executions", executionID, "resume"), body: .emptyObject)
    }
}

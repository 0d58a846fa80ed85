import HarmoniaAPIModels
import HarmoniaCore
import HarmoniaEngine
import Hummingbird
import Logging

/// Checkpoints: take one of an execution, list an execution's, read one, and restore one
/// into a new execution that keeps the completed tasks and runs only what is left.
struct CheckpointRoutes: Sendable {
    let dependencies: RouteDependencies

    /// Longest `reason` a client may give; reasons are labels, not documents.
    static let maxReasonLength = 200

    func addRoutes(to group: RouterGroup<HarmoniaRequestContext>) {
        group.post("executions/{id}/checkpoint", use: create)
        group.get("executions/{id}/checkpoints", use: list)
        group.get("checkpoints/{id}", use: read)
        group.post("checkpoints/{id}/restore", use: restore)
    }

    /// 201 with the checkpoint (`checkpoint_id`), durable together with its
    /// `checkpoint_created` event. Works in any status, finished executions included.
    @Sendable func create(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let id = try context.requiredID()
        let body = try await request.jsonBody(maxBytes: dependencies.maxBodyBytes) ?? .emptyObject
        let reason = try LenientFields(body).string("reason") ?? "manual"
        // Length in Unicode scalars, as JSON Schema's maxLength counts (the OpenAPI document).
        guard !reason.allSatisfy(\.isWhitespace), reason.unicodeScalars.count <= Self.maxReasonLength else {
            throw HarmoniaError(
                .invalidRequest, "'reason' must be 1 to \(Self.maxReasonLength) characters", path: "reason")
        }
        let checkpoint = try await dependencies.engine.checkpoint(executionID: id, reason: reason)
        context.logger.info(
            "checkpoint created", metadata: ["execution_id": "\(id)", "checkpoint_id": "\(checkpoint.id)"])
        return success("checkpoint created", CheckpointView(checkpoint), status: .created)
    }

    @Sendable func list(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let id = try context.requiredID()
        let checkpoints = try await dependencies.store.checkpoints(executionID: id)
        // An empty list is ambiguous: no checkpoints yet, or no such execution.
        if checkpoints.isEmpty, try await dependencies.store.execution(id: id) == nil {
            throw HarmoniaError(.notFound, "no execution with id \(id)")
        }
        return success(
            "\(checkpoints.count) checkpoint(s)",
            CheckpointList(executionID: id, checkpoints: checkpoints.map(CheckpointSummary.init)))
    }

    @Sendable func read(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        success("checkpoint found", CheckpointView(try await existing(context.requiredID())))
    }

    /// 201 with the new execution (`execution_id`, `restored_from`, `original_execution_id`).
    @Sendable func restore(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let checkpoint = try await existing(context.requiredID())
        let started = try await dependencies.engine.restore(checkpointID: checkpoint.id)
        context.logger.info(
            "execution restored",
            metadata: [
                "checkpoint_id": "\(checkpoint.id)", "original_execution_id": "\(checkpoint.executionID)",
                "execution_id": "\(started.state.id)",
            ])
        return success(
            "execution \(started.state.id) restored from checkpoint \(checkpoint.id)",
            RestoredExecution(started.state, checkpoint: checkpoint), status: .created)
    }

    private func existing(_ id: String) async throws -> Checkpoint {
        guard let checkpoint = try await dependencies.store.checkpoint(id: id) else {
            throw HarmoniaError(.notFound, "no checkpoint with id \(id)")
        }
        return checkpoint
    }
}

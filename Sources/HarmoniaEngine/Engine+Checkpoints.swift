import Foundation
import HarmoniaCore

extension Engine {
    /// Takes a checkpoint of an execution in any status. Returns once the checkpoint and its
    /// `checkpoint_created` event are durable.
    public func checkpoint(executionID: String, reason: String = "manual") async throws -> Checkpoint {
        guard status.isReady else {
            throw HarmoniaError(.notReady, "the engine is still recovering executions")
        }
        guard let stored = try await store.execution(id: executionID) else {
            throw HarmoniaError(.notFound, "no execution with id \(executionID)")
        }
        var finished: (ExecutionState, WorkflowDefinition)?
        if stored.record.status.isTerminal {
            guard let definition = try await store.workflow(id: stored.record.workflowID, version: stored.record.workflowVersion) else {
                throw HarmoniaError(
                    .notFound, "workflow \(stored.record.workflowID) version \(stored.record.workflowVersion) of execution \(executionID) is gone")
            }
            finished = (stored, definition)
        }
        let checkpoint: Checkpoint = try await withCheckedThrowingContinuation { continuation in
            request(EngineInput.checkpoint(executionID, reason: reason, finished: finished, Reply(continuation)))
        }
        // The next interval checkpoint counts from this one, and skips an unchanged log.
        if finished == nil { intervalCheckpoints.checkpointed(executionID, seq: checkpoint.seq) }
        return checkpoint
    }

    /// Starts a new execution from a checkpoint: same workflow version, input and metadata;
    /// completed tasks keep their outputs and are not run again; everything else (failed,
    /// skipped, canceled, unfinished) runs. The new execution records `restored_from`.
    public func restore(checkpointID: String) async throws -> ExecutionStart {
        guard let checkpoint = try await store.checkpoint(id: checkpointID) else {
            throw HarmoniaError(.notFound, "no checkpoint with id \(checkpointID)")
        }
        let record = checkpoint.record
        guard let definition = try await store.workflow(id: record.workflowID, version: record.workflowVersion) else {
            throw HarmoniaError(.notFound, "workflow \(record.workflowID) version \(record.workflowVersion) of the checkpoint is gone")
        }
        var metadata = record.metadata
        metadata["restored_from_checkpoint"] = .string(checkpoint.id)
        metadata["original_execution_id"] = .string(record.id)
        let kept = checkpoint.completedTasks.map { task -> TaskState in
            var task = task
            task.timeoutAt = nil
            task.nextAttemptAt = nil
            return task
        }
        return try await startExecution(
            workflow: definition, input: record.input, metadata: metadata, restoredFrom: record.id, completedTasks: kept,
            completedInstances: checkpoint.instances)
    }
}

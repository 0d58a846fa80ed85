import Foundation
import HarmoniaCore

extension Engine {
    /// Re-runs a failed or canceled execution from where it stopped (what Step Functions
    /// calls a redrive): a new execution of the same workflow version, input and metadata
    /// that keeps every completed task's output and runs the failed, canceled, skipped and
    /// unfinished rest — the restore machinery applied to the execution's final state, so
    /// no checkpoint is needed. The new execution records `restored_from` and
    /// `metadata.retried_from`.
    ///
    /// `invalid_state` for an execution that completed (nothing to re-run) or has not
    /// finished (it may still get there; cancel it first).
    public func retry(executionID: String) async throws -> ExecutionStart {
        guard let stored = try await store.execution(id: executionID) else {
            throw HarmoniaError(.notFound, "no execution with id \(executionID)")
        }
        let record = stored.record
        guard record.status == .failed || record.status == .canceled else {
            let why = record.status == .completed
                ? "it completed, so there is nothing to re-run (start a new execution instead)"
                : "it is still \(record.status.rawValue); cancel it first, or wait for it to end"
            throw HarmoniaError(.invalidState, "execution \(executionID) cannot be retried: \(why)")
        }
        guard let definition = try await store.workflow(id: record.workflowID, version: record.workflowVersion) else {
            throw HarmoniaError(
                .notFound, "workflow \(record.workflowID) version \(record.workflowVersion) of execution \(executionID) is gone")
        }
        var metadata = record.metadata
        metadata["retried_from"] = .string(record.id)
        let kept = stored.tasks.values.filter { $0.status == .completed }.map { task -> TaskState in
            var task = task
            task.timeoutAt = nil
            task.nextAttemptAt = nil
            return task
        }
        return try await startExecution(
            workflow: definition, input: record.input, metadata: metadata, restoredFrom: record.id, completedTasks: kept,
            completedInstances: MapCarryOver.completed(stored))
    }
}

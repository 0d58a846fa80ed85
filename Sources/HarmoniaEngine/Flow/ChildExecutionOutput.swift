import HarmoniaCore

/// What a `harmonia.run_workflow` task reports when its child execution ends.
///
/// An execution has no output of its own (only its tasks do), so a completed child's output
/// is `{"execution_id": ID, "outputs": {task id: output}}` with every completed task's
/// output; `${tasks.child.outputs.last_step.x}` reads one. A failed or canceled child fails
/// the task with `child_execution_failed` (retryable, so the task's retry policy decides
/// whether a new child runs).
enum ChildExecutionOutput {
    static func result(of state: ExecutionState) -> InvocationResult? {
        switch state.record.status {
        case .completed:
            var outputs: [String: JSONValue] = [:]
            for (id, task) in state.tasks where task.status == .completed {
                outputs[id] = task.output ?? .null
            }
            return .success(["execution_id": .string(state.id), "outputs": .object(outputs)])
        case .failed, .canceled:
            let why = state.record.error?.message ?? "no reason recorded"
            return .failure(
                TaskFailure(
                    .childExecutionFailed, "child execution \(state.id) \(state.record.status.rawValue): \(why)", retryable: true))
        case .pending, .running, .paused:
            return nil
        }
    }
}

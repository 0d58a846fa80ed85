import HarmoniaAPIModels
import HarmoniaCore
import HarmoniaEngine
import Hummingbird
import Logging

extension ExecutionRoutes {
    /// `POST /executions/{id}/signals/{name}`: the body (any JSON value; empty is `null`)
    /// is the payload a `harmonia.wait_for_signal` task waiting for `name` completes with.
    /// 200 once stored; 400 for a bad name, 404 for an unknown execution, 409 for an ended one.
    @Sendable func signal(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let id = try context.requiredID()
        let name = try context.pathParameter("name")
        try SignalName.validate(name, path: "name")
        let payload = try await request.jsonBody(maxBytes: dependencies.maxBodyBytes) ?? .null
        let signal = try await dependencies.engine.sendSignal(executionID: id, name: name, payload: payload)
        context.logger.info(
            "signal received", metadata: ["execution_id": "\(id)", "signal": "\(name)", "consumed_by": "\(signal.consumedBy ?? "-")"])
        let outcome = signal.consumedBy.map { "task '\($0)' took it" } ?? "kept until a task waits for it"
        return success("signal '\(name)' received; \(outcome)", SignalView(signal))
    }

    /// The status of each child (`harmonia.run_workflow`) that a running task of `state` waits for.
    func childStatuses(_ state: ExecutionState, definition: WorkflowDefinition) async throws -> [String: WorkflowStatus] {
        var statuses: [String: WorkflowStatus] = [:]
        for task in definition.tasks where FlowAction.of(task) == .runWorkflow {
            guard let current = state.tasks[task.id], current.status == .running else { continue }
            let child = ChildExecutionID.make(parent: state.id, taskID: task.id, attempt: current.attempt)
            if let found = try await dependencies.store.execution(id: child) { statuses[child] = found.record.status }
        }
        return statuses
    }
}

import HarmoniaPluginKit
import Hummingbird
import Synchronization

/// Synthesis as tekton.md describes it: camelCase answers (`executionId`), the context id
/// as the execution id, asynchronous executions that move pending → in_progress →
/// completed as they are polled, and failures reported as HTTP 200 `{"status": "error"}`.
final class SynthesisDouble: TektonDouble {
    private struct Execution {
        var plan: PluginJSON
        var status: String
        var polls = 0
        var results: [PluginJSON] = []
    }

    private struct State {
        var executions: [String: Execution] = [:]
        var creations: [String: Int] = [:]
        /// Polls an execution answers `in_progress` before it finishes; nil: never finishes.
        var pollsBeforeDone: Int? = 2
        var createError: String?
        /// Report `completed` even when a step failed (the adapter must read the steps).
        var completedDespiteFailures = false
    }

    let calls = CallLog()
    private let state = Mutex(State())

    /// How many polls an execution stays in progress; nil keeps it running forever.
    func finish(afterPolls polls: Int?) {
        state.withLock { $0.pollsBeforeDone = polls }
    }

    /// Makes `POST /api/v1/executions` answer HTTP 200 `{"status": "error", ...}`.
    func failCreation(with message: String?) {
        state.withLock { $0.createError = message }
    }

    /// Makes executions end `completed` even when one of their steps failed.
    func reportCompletedDespiteFailures(_ on: Bool) {
        state.withLock { $0.completedDespiteFailures = on }
    }

    /// How many times a plan was submitted under `id`.
    func creations(of id: String) -> Int { state.withLock { $0.creations[id] ?? 0 } }

    /// The current status of execution `id`.
    func status(of id: String) -> String? { state.withLock { $0.executions[id]?.status } }

    /// A step's result: a `command` step succeeds unless its command contains "fail" and
    /// outputs the text after `echo `; other step types succeed with their parameters.
    static func outcome(of step: PluginJSON, index: Int) -> PluginJSON {
        let type = step["type"]?.stringValue ?? "unknown"
        if type == "command" {
            let command = step["parameters"]?["command"]?.stringValue ?? ""
            let success = !command.contains("fail")
            let output = command.hasPrefix("echo ") ? String(command.dropFirst(5)) : ""
            return [
                "step_id": .string("step-\(index)"), "type": "command", "success": .bool(success), "output": .string(output),
                "message": success ? "ok" : "command failed",
            ]
        }
        return ["step_id": .string("step-\(index)"), "type": .string(type), "success": true, "output": step["parameters"] ?? nil]
    }

    private func view(_ id: String, _ execution: Execution) -> PluginJSON {
        [
            "executionId": .string(id), "status": .string(execution.status),
            "data": ["context_id": .string(id), "status": .string(execution.status), "polls": .integer(execution.polls)],
        ]
    }

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/health") { _, _ in Response.json(["status": "healthy", "component": "synthesis"]) }
        router.post("/api/v1/executions") { request, _ in
            var request = request
            let body = try await request.json()
            if let error = self.state.withLock({ $0.createError }) {
                return Response.json([
                    "executionId": "0b6f3c1e-error", "status": "error", "message": "Error creating execution",
                    "errors": [.string(error)],
                ])
            }
            let id = body["context"]?["context_id"]?.stringValue ?? "generated-id"
            let execution = Execution(plan: body["plan"] ?? nil, status: "pending")
            self.state.withLock { state in
                state.executions[id] = execution
                state.creations[id, default: 0] += 1
            }
            return Response.json(self.view(id, execution))
        }
        router.get("/api/v1/executions/:id") { _, context in
            let id = context.pathParameter("id")
            guard let execution = self.advance(id) else {
                return Response.json(["detail": .string("Execution \(id) not found")], status: .notFound)
            }
            return Response.json(self.view(id, execution))
        }
        router.get("/api/v1/executions/:id/results") { _, context in
            let id = context.pathParameter("id")
            guard let execution = self.state.withLock({ $0.executions[id] }) else {
                return Response.json(["detail": .string("Execution \(id) not found")], status: .notFound)
            }
            guard ["completed", "failed", "cancelled"].contains(execution.status) else {
                return Response.json([
                    "status": "error", "message": .string("Results not found for execution \(id)"),
                    "errors": [.string("Results not found for execution \(id)")],
                ])
            }
            return Response.json([
                "status": "success",
                "data": ["execution_id": .string(id), "status": .string(execution.status), "results": .array(execution.results)],
            ])
        }
        router.post("/api/v1/executions/:id/cancel") { _, context in
            let id = context.pathParameter("id")
            let cancelled = self.state.withLock { state -> Bool in
                guard var execution = state.executions[id], ["pending", "in_progress"].contains(execution.status) else { return false }
                execution.status = "cancelled"
                state.executions[id] = execution
                return true
            }
            guard cancelled else {
                return Response.json([
                    "status": "error", "message": .string("Failed to cancel execution \(id)"),
                    "errors": [.string("Execution \(id) not found or already completed")],
                ])
            }
            return Response.json(["status": "success", "message": .string("Execution \(id) cancelled successfully")])
        }
    }

    /// One poll: pending → in_progress → (after the configured polls) completed or failed.
    private func advance(_ id: String) -> Execution? {
        state.withLock { state in
            guard var execution = state.executions[id] else { return nil }
            if ["pending", "in_progress"].contains(execution.status) {
                execution.polls += 1
                execution.status = "in_progress"
                if let limit = state.pollsBeforeDone, execution.polls > limit {
                    let steps = execution.plan["steps"]?.arrayValue ?? []
                    execution.results = steps.enumerated().map { Self.outcome(of: $1, index: $0) }
                    let succeeded = execution.results.allSatisfy { $0["success"]?.boolValue == true }
                    execution.status = succeeded || state.completedDespiteFailures ? "completed" : "failed"
                }
                state.executions[id] = execution
            }
            return execution
        }
    }
}

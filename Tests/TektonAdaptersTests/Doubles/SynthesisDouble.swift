import Foundation
import HarmoniaPluginKit
import Hummingbird
import Synchronization

/// Synthesis as observed on the wire (public Tekton source of 2025-09-27): camelCase answers
/// (`executionId`), the context id as the execution id, asynchronous executions that move
/// pending → in_progress → completed as they are polled, and failures reported as HTTP 200
/// `{"status": "error"}`.
///
/// Observed quirks reproduced here:
/// - A `command` step runs its `command` with a real `/bin/sh` and reads `cwd`, `env` and
///   `timeout` (default 60); anything else in its parameters is ignored. An argv array fails
///   the step ("cmd must be a string"). Its result is `{"step_index", "step_id", "success",
///   "data": {"stdout", "stderr", "return_code"}}`, stdout and stderr stripped.
/// - A cancelled execution never reaches Synthesis' history, so its `/results` answers
///   HTTP 200 `{"status": "error", "message": "Results not found for execution …"}`.
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
        /// End every execution `failed` before its first step, with no results and no message.
        var failBeforeSteps = false
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

    /// Makes every execution end `failed` before its first step, with no step results and no
    /// message: what Synthesis 2025-09-27 does (its background task raises
    /// "'ExecutionEngine' object has no attribute 'start_reasoning_process'", logged only).
    func failBeforeSteps(_ on: Bool) {
        state.withLock { $0.failBeforeSteps = on }
    }

    /// How many times a plan was submitted under `id`.
    func creations(of id: String) -> Int { state.withLock { $0.creations[id] ?? 0 } }

    /// The current status of execution `id`.
    func status(of id: String) -> String? { state.withLock { $0.executions[id]?.status } }

    /// A step's result as Synthesis' step handlers make it; `command` steps really run.
    static func outcome(of step: PluginJSON, index: Int) async -> PluginJSON {
        let type = step["type"]?.stringValue ?? "unknown"
        let stepID = step["id"] ?? .string("step-\(index)")
        guard type == "command" else {
            return ["step_index": .integer(index), "step_id": stepID, "success": true, "data": step["parameters"] ?? nil]
        }
        let parameters = step["parameters"] ?? [:]
        guard let command = parameters["command"], !command.isNull else {
            return ["step_index": .integer(index), "step_id": stepID, "success": false, "data": nil]
        }
        guard let line = command.stringValue else {
            // asyncio.create_subprocess_shell refuses anything but a string.
            return ["step_index": .integer(index), "step_id": stepID, "success": false, "data": nil, "message": "Error executing command: cmd must be a string"]
        }
        let environment = parameters["env"]?.objectValue?.compactMapValues(\.stringValue)
        do {
            let run = try await ShellRun.run(line, directory: parameters["cwd"]?.stringValue, environment: environment)
            let strip = { (bytes: [UInt8]) in String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
            return [
                "step_index": .integer(index), "step_id": stepID, "success": .bool(run.status == 0),
                "data": ["stdout": .string(strip(run.stdout)), "stderr": .string(strip(run.stderr)), "return_code": .integer(Int(run.status))],
            ]
        } catch {
            return ["step_index": .integer(index), "step_id": stepID, "success": false, "data": nil, "message": .string("Error executing command: \(error)")]
        }
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
            guard let execution = await self.advance(id) else {
                return Response.json(["detail": .string("Execution \(id) not found")], status: .notFound)
            }
            return Response.json(self.view(id, execution))
        }
        router.get("/api/v1/executions/:id/results") { _, context in
            let id = context.pathParameter("id")
            guard let execution = self.state.withLock({ $0.executions[id] }) else {
                return Response.json(["detail": .string("Execution \(id) not found")], status: .notFound)
            }
            // A cancelled execution never reaches the history: its results are "not found".
            guard ["completed", "failed"].contains(execution.status) else {
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

    /// One poll: pending → in_progress → (after the configured polls) completed or failed,
    /// the steps run outside the lock when the execution finishes.
    private func advance(_ id: String) async -> Execution? {
        let finishing: [PluginJSON]? = state.withLock { state in
            guard var execution = state.executions[id], ["pending", "in_progress"].contains(execution.status) else { return nil }
            execution.polls += 1
            execution.status = "in_progress"
            state.executions[id] = execution
            guard let limit = state.pollsBeforeDone, execution.polls > limit else { return nil }
            if state.failBeforeSteps {
                execution.status = "failed"
                state.executions[id] = execution
                return nil
            }
            return execution.plan["steps"]?.arrayValue ?? []
        }
        if let steps = finishing {
            var results: [PluginJSON] = []
            for (index, step) in steps.enumerated() {
                let result = await Self.outcome(of: step, index: index)
                results.append(result)
                // Synthesis stops at the first failed step.
                if result["success"]?.boolValue != true { break }
            }
            state.withLock { state in
                guard var execution = state.executions[id], execution.status == "in_progress" else { return }
                execution.results = results
                let succeeded = results.allSatisfy { $0["success"]?.boolValue == true }
                execution.status = succeeded || state.completedDespiteFailures ? "completed" : "failed"
                state.executions[id] = execution
            }
        }
        return state.withLock { $0.executions[id] }
    }
}

import Foundation
import HarmoniaPluginKit

/// Running a plan: submit (or re-attach) → poll → results.
extension SynthesisAdapter {
    /// Execution states after which polling stops.
    static let terminalStates: Set<String> = ["completed", "failed", "cancelled", "canceled", "timeout", "error"]

    /// Runs `plan` to its end and returns `{result: [step results], results, execution_id, status}`.
    /// Succeeds only when the execution completed and every step result has `success: true`.
    func execute(plan: PluginJSON, call: AdapterCall) async throws -> PluginJSON {
        let id = call.idempotencyKey
        do {
            try await attachOrSubmit(plan: plan, id: id, call: call)
            let status = try await poll(id, call: call)
            guard status == "completed" else {
                // Synthesis keeps no results for a cancelled execution: its `/results` then
                // answers HTTP 200 `{"status": "error", "message": "Results not found…"}`, which
                // says nothing more than the status does.
                var output: [String: PluginJSON] = ["execution_id": .string(id), "status": .string(status)]
                var message = "synthesis execution \(id) ended \(status)"
                do {
                    let results = try await results(of: id, call: call)
                    output["result"] = .array(results)
                    output["results"] = .array(results)
                    if let failed = results.firstIndex(where: { $0["success"]?.boolValue != true }) {
                        message += ": step \(failed) did not succeed"
                        if let reason = results[failed]["message"]?.stringValue, !reason.isEmpty { message += " (\(reason))" }
                    } else if results.isEmpty, status == "failed" {
                        // Synthesis 2025-09-27 fails every execution this way: its background
                        // task raises before the first step, and the reason goes to its log only.
                        message += " before any step ran; Synthesis gives no reason here (its log has it)"
                    }
                } catch let error as AdapterError where error.code == "component_error" {
                    output["results"] = []
                    output["component_message"] = .string(error.message)
                }
                throw AdapterError(code: "execution_failed", message: message, retryable: false, details: .object(output))
            }
            let results = try await results(of: id, call: call)
            let output: PluginJSON = [
                "result": .array(results), "results": .array(results), "execution_id": .string(id), "status": .string(status),
            ]
            let failed = results.indices.filter { results[$0]["success"]?.boolValue != true }
            guard failed.isEmpty else {
                throw AdapterError(
                    code: "execution_failed",
                    message: "synthesis execution \(id): \(failed.count) of \(results.count) steps did not succeed (steps \(failed.map(String.init).joined(separator: ", ")))",
                    retryable: false, details: output)
            }
            return output
        } catch is CancellationError {
            await cancelRemotely(id, call: call)
            throw CancellationError()
        }
    }

    /// A later attempt first looks for the execution an earlier one started (same
    /// `context_id`, hence same id) and follows it instead of starting the plan again.
    private func attachOrSubmit(plan: PluginJSON, id: String, call: AdapterCall) async throws {
        if call.attempt > 1 {
            do {
                _ = try checked(try await service.get(executionPath(id), call: call), call: call)
                call.host.log(.info, "synthesis: re-attached to execution \(id)")
                return
            } catch let error as AdapterError where error.httpStatus == 404 {
                // Not there: the earlier attempt never reached Synthesis.
            }
        }
        let answer = try checked(
            try await service.post("/api/v1/executions", ["plan": plan, "context": ["context_id": .string(id)]], call: call), call: call)
        if let reported = answer["executionId"]?.stringValue, reported != id {
            call.host.log(.warning, "synthesis: execution id \(reported) differs from the context id \(id)")
        }
        call.host.progress("synthesis execution \(id) submitted")
    }

    /// Polls the execution until it reaches a terminal state. Sleeping is cancellable, and
    /// polling stops with `timeout` when the next poll would fall past the call's deadline.
    private func poll(_ id: String, call: AdapterCall) async throws -> String {
        while true {
            let record = try checked(try await service.get(executionPath(id), call: call), call: call)
            let status = (record["status"]?.stringValue ?? record["data"]?["status"]?.stringValue ?? "unknown").lowercased()
            if Self.terminalStates.contains(status) { return status }
            if let deadline = call.deadline, Date().addingTimeInterval(pollInterval) >= deadline {
                throw AdapterError(
                    code: "timeout", message: "synthesis execution \(id) was still \(status) at the task's deadline", retryable: true,
                    details: ["execution_id": .string(id), "status": .string(status)])
            }
            try await Task.sleep(for: .seconds(pollInterval))
        }
    }

    /// `GET /api/v1/executions/{id}/results` → the step results (`data.results`).
    private func results(of id: String, call: AdapterCall) async throws -> [PluginJSON] {
        let answer = try checked(try await service.get(executionPath(id) + "/results", call: call), call: call)
        return answer["data"]?["results"]?.arrayValue ?? answer["results"]?.arrayValue ?? []
    }

    /// Best-effort cancel of an execution whose task was cancelled, in its own task so the
    /// request is still made although this call's task is cancelled.
    private func cancelRemotely(_ id: String, call: AdapterCall) async {
        let service = service
        let path = executionPath(id) + "/cancel"
        await Task {
            do {
                _ = try await service.raw("POST", path, body: .emptyObject, call: call, timeout: 5)
            } catch {
                call.host.log(.warning, "synthesis: could not cancel execution \(id): \(error)")
            }
        }.value
    }

    /// Synthesis' HTTP-200 failures: `{"status": "error", "message", "errors"}` is a
    /// `component_error` (not retryable); anything else passes.
    func checked(_ answer: PluginJSON, call: AdapterCall) throws -> PluginJSON {
        guard answer["status"]?.stringValue?.lowercased() == "error" else { return answer }
        var message = answer["message"]?.stringValue ?? "no message"
        if let errors = answer["errors"]?.arrayValue?.compactMap(\.stringValue), !errors.isEmpty {
            message += ": " + errors.joined(separator: "; ")
        }
        throw AdapterError(
            code: "component_error", message: "synthesis answered \(call.action) with an error: \(message)", retryable: false,
            httpStatus: 200, details: ["response": answer])
    }
}

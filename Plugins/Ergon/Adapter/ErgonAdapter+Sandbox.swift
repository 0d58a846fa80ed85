import Foundation
import HarmoniaPluginKit

/// `execute_command` through Ergon's sandbox:
/// store a solution unit → `sandbox/test` → `sandbox/execute` (SSE) → `sandbox/results` →
/// best-effort `DELETE` of the sandbox, then of the unit.
extension ErgonAdapter {
    /// Ergon's own default sandbox timeout, used when nothing else limits the command.
    static let defaultSandboxTimeout = 300.0
    /// Extra seconds the execute request may take beyond the command's limit (the sandbox is
    /// already started by then; this is for Ergon's own timeout handling and the stream's end).
    ///
    /// The adapter enforces the limit itself: observed on Ergon 2025-09-27, neither provider
    /// stops a command at its timeout while the command keeps its output open (sandbox-exec
    /// applies it only after the output has closed, Docker only when a chunk arrives).
    static let executeGrace = 5.0
    /// Time allowed for the cleanup `DELETE`, which runs even when the call was cancelled
    /// (as far as the host still serves the call's requests); at most this much, and at most
    /// a fifth of the time left, is kept back from the execute request for it.
    static let cleanupTimeout = 5.0

    /// Every request in order; whatever happens after the unit is stored, the sandbox (once
    /// started) and then the unit are deleted exactly once each.
    func executeInSandbox(_ request: CommandRequest, call: AdapterCall) async throws -> PluginJSON {
        let limit = commandLimit(request, call: call) ?? Self.defaultSandboxTimeout
        let wrapped = ExitMarker.wrap(request.sandboxLine)

        let stored = try await service.post(
            "/api/ergon/registry/store",
            [
                "type": "solution",
                "name": .string("harmonia-\(call.idempotencyKey)"),
                "version": "1.0.0",
                "content": ["run_command": .array(wrapped.map(PluginJSON.string)), "platform": "any"],
            ], call: call)
        guard let unitID = Self.identifier(stored["id"]) else {
            throw invalidResponse("registry/store returned no `id`", call: call)
        }
        let outcome = await Self.capture { try await self.runUnit(unitID, command: wrapped, limit: limit, call: call) }
        await remove("/api/ergon/registry/\(TektonService.segment(unitID))", what: "registry unit \(unitID)", call: call)
        return try outcome.get()
    }

    /// Starts a sandbox for the stored unit, runs the command in it, deletes it.
    private func runUnit(_ unitID: String, command: [String], limit: Double, call: AdapterCall) async throws -> PluginJSON {
        // No `environment`: Ergon's providers start the sandbox with a fixed environment and
        // ignore it; `CommandRequest.sandboxLine` exports the variables in the shell instead.
        let test: PluginJSON = ["solution_id": .string(unitID), "timeout": .integer(max(1, Int(limit.rounded(.up))))]
        let started = try await service.post("/api/ergon/sandbox/test", test, call: call)
        guard let sandboxID = Self.identifier(started["sandbox_id"]) else {
            throw invalidResponse("sandbox/test returned no `sandbox_id`", call: call)
        }
        call.host.progress("ergon sandbox \(sandboxID) started")
        let outcome = await Self.capture { try await self.runInSandbox(sandboxID, command: command, limit: limit, call: call) }
        await remove("/api/ergon/sandbox/\(TektonService.segment(sandboxID))", what: "sandbox \(sandboxID)", call: call)
        return try outcome.get().outcome(["sandbox_id": .string(sandboxID)])
    }

    /// Executes in the sandbox, reads the stream to its end, then fetches the results.
    private func runInSandbox(_ sandboxID: String, command: [String], limit: Double, call: AdapterCall) async throws -> CommandResult {
        // With a deadline, stop a little before it so the sandbox can still be deleted
        // while the call is alive (a host refuses requests of a finished invocation).
        let bound = limit + Self.executeGrace
        let seconds = call.remainingTime.map { min($0 - min(Self.cleanupTimeout, $0 * 0.2), bound) } ?? bound
        let service = service
        let body: PluginJSON = ["sandbox_id": .string(sandboxID), "command": .array(command.map(PluginJSON.string))]
        let response = try await Deadline.run(
            seconds: seconds,
            onTimeout: {
                AdapterError(
                    code: "timeout",
                    message: "ergon sandbox \(sandboxID) did not finish the command within its \(Self.seconds(limit)) s limit", retryable: true)
            },
            // The request's own timeout a second later, so the limit's message is the one seen.
            { try await service.raw("POST", "/api/ergon/sandbox/execute", body: body, call: call, timeout: seconds + 1) })
        let transcript = SandboxTranscript(events: SSELineParser.events(in: response.text))
        var result = transcript.result
        if !transcript.done { result.notes.append("the execute stream ended before its `done` event") }
        if !transcript.errors.isEmpty { result.notes.append(contentsOf: transcript.errors.map { "ergon: \($0)" }) }

        // Ergon's record of the run. Its exit_code is not trusted; a missing record does not
        // undo a run whose output and status the stream already delivered.
        do {
            _ = try await service.get("/api/ergon/sandbox/results/\(TektonService.segment(sandboxID))", call: call)
        } catch let error as AdapterError {
            call.host.log(.warning, "ergon sandbox \(sandboxID): results unavailable: \(error.message)")
        }
        let details = result.output(["sandbox_id": .string(sandboxID)])
        if transcript.timedOut {
            throw AdapterError(
                code: "timeout", message: "ergon sandbox \(sandboxID): the command ran past its \(Int(limit.rounded(.up))) s timeout",
                retryable: true, details: details)
        }
        if result.exitCode == nil, !transcript.errors.isEmpty {
            // The sandbox failed before the command could report a status.
            throw AdapterError(
                code: "sandbox_error", message: "ergon sandbox \(sandboxID) failed: \(transcript.errors.joined(separator: "; "))",
                retryable: false, details: details)
        }
        return result
    }

    /// Best-effort `DELETE` of `path` (a sandbox or a registry unit). It runs in its own task
    /// so that it still happens when this call was cancelled (a cancelled call's requests
    /// fail at once).
    ///
    /// A DELETE still under way when the call's deadline passes, or when the call is
    /// cancelled, is cut by the host (it fails every request made before the cancel, and
    /// none outlives the deadline). That is no reason to leave it behind: the DELETE is made
    /// once more, which falls in the call's cleanup window and is served. On a loaded
    /// machine the 20 % of the time kept back for the cleanup is not always enough.
    private func remove(_ path: String, what: String, call: AdapterCall) async {
        let service = service
        await Task {
            do {
                let timeout = min(Self.cleanupTimeout, max(0.5, call.remainingTime ?? Self.cleanupTimeout))
                _ = try await service.raw("DELETE", path, body: nil, call: call, timeout: timeout)
                return
            } catch is CancellationError {
                // Cut by the call's cancel (or its deadline): once more, in the cleanup window.
            } catch where (call.remainingTime ?? 1) <= 0 {
                // The deadline passed while it ran, whatever the host answered for the request
                // it cut (a timeout, the call's end): once more, in the cleanup window.
                call.host.log(.info, "ergon \(what): the DELETE ran into the deadline (\(error)); trying again")
            } catch {
                call.host.log(.warning, "ergon \(what): cleanup failed: \(error)")
                return
            }
            do {
                // The host ends this request at the close of the cleanup window at the latest.
                _ = try await service.raw("DELETE", path, body: nil, call: call, timeout: Self.cleanupTimeout)
            } catch {
                call.host.log(.warning, "ergon \(what): cleanup failed: \(error)")
            }
        }.value
    }

    /// The outcome of `body`, success or error, so cleanup can run once before it is passed on.
    static func capture<T: Sendable>(_ body: () async throws -> T) async -> Result<T, any Error> {
        do {
            return .success(try await body())
        } catch {
            return .failure(error)
        }
    }

    /// `seconds` for a message: whole seconds without a fraction (`1`, `2.5`).
    static func seconds(_ seconds: Double) -> String {
        seconds.rounded() == seconds ? String(Int(seconds)) : String(format: "%.1f", seconds)
    }

    /// An id Ergon may send as a string or a number.
    static func identifier(_ value: PluginJSON?) -> String? {
        switch value {
        case .string(let s) where !s.isEmpty: return s
        case .integer(let i): return String(i)
        default: return nil
        }
    }

    func invalidResponse(_ what: String, call: AdapterCall) -> AdapterError {
        AdapterError(code: "invalid_response", message: "ergon \(call.action): \(what)", retryable: false)
    }
}

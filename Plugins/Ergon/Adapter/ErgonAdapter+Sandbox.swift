import HarmoniaPluginKit

/// `execute_command` through Ergon's sandbox:
/// store a solution unit → `sandbox/test` → `sandbox/execute` (SSE) → `sandbox/results` →
/// best-effort `DELETE`.
extension ErgonAdapter {
    /// Ergon's own default sandbox timeout, used when nothing else limits the command.
    static let defaultSandboxTimeout = 300.0
    /// Extra seconds the execute request may take beyond the command's limit (sandbox start,
    /// stream teardown) when no deadline bounds it.
    static let executeGrace = 30.0
    /// Time allowed for the cleanup `DELETE`, which runs even when the call was cancelled
    /// (as far as the host still serves the call's requests); at most this much, and at most
    /// a fifth of the time left, is kept back from the execute request for it.
    static let cleanupTimeout = 5.0

    func executeInSandbox(_ request: CommandRequest, call: AdapterCall) async throws -> PluginJSON {
        let limit = commandLimit(request, call: call) ?? Self.defaultSandboxTimeout
        let wrapped = ExitMarker.wrap(request.shellLine)

        let stored = try await service.post(
            "/api/ergon/registry/store",
            [
                "type": "solution",
                "name": .string("harmonia-\(call.idempotencyKey)"),
                "version": "1.0.0",
                "content": ["run_command": .array(wrapped.map(PluginJSON.string)), "platform": "any"],
            ], call: call)
        guard let solutionID = Self.identifier(stored["id"]) else {
            throw invalidResponse("registry/store returned no `id`", call: call)
        }

        var test: [String: PluginJSON] = ["solution_id": .string(solutionID), "timeout": .integer(max(1, Int(limit.rounded(.up))))]
        if !request.environment.isEmpty {
            test["environment"] = .object(request.environment.mapValues(PluginJSON.string))
        }
        let started = try await service.post("/api/ergon/sandbox/test", .object(test), call: call)
        guard let sandboxID = Self.identifier(started["sandbox_id"]) else {
            throw invalidResponse("sandbox/test returned no `sandbox_id`", call: call)
        }
        call.host.progress("ergon sandbox \(sandboxID) started")

        do {
            let result = try await runInSandbox(sandboxID, command: wrapped, limit: limit, call: call)
            await cleanUp(sandboxID, call: call)
            return try result.outcome(["sandbox_id": .string(sandboxID)])
        } catch {
            await cleanUp(sandboxID, call: call)
            throw error
        }
    }

    /// Executes in the sandbox, reads the stream to its end, then fetches the results.
    private func runInSandbox(_ sandboxID: String, command: [String], limit: Double, call: AdapterCall) async throws -> CommandResult {
        // With a deadline, stop a little before it so the sandbox can still be deleted
        // while the call is alive (a host refuses requests of a finished invocation).
        let seconds = call.remainingTime.map { $0 - min(Self.cleanupTimeout, $0 * 0.2) } ?? (limit + Self.executeGrace)
        let service = service
        let body: PluginJSON = ["sandbox_id": .string(sandboxID), "command": .array(command.map(PluginJSON.string))]
        let response = try await Deadline.run(
            seconds: seconds,
            onTimeout: {
                AdapterError(
                    code: "timeout", message: "ergon sandbox \(sandboxID) did not finish the command in time", retryable: true)
            },
            { try await service.raw("POST", "/api/ergon/sandbox/execute", body: body, call: call, timeout: seconds) })
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
        if result.exitCode == nil, !transcript.errors.isEmpty {
            // The sandbox failed before the command could report a status.
            throw AdapterError(
                code: "sandbox_error", message: "ergon sandbox \(sandboxID) failed: \(transcript.errors.joined(separator: "; "))",
                retryable: false, details: result.output(["sandbox_id": .string(sandboxID)]))
        }
        return result
    }

    /// Best-effort `DELETE /api/ergon/sandbox/{id}`. It runs in its own task so that it
    /// still happens when this call was cancelled (a cancelled call's requests fail at once).
    ///
    /// A DELETE still under way when the call's deadline passes, or when the call is
    /// cancelled, is cut by the host (it fails every request made before the cancel, and
    /// none outlives the deadline). That is no reason to leave the sandbox behind: the DELETE
    /// is made once more, which falls in the call's cleanup window and is served. On a loaded
    /// machine the 20 % of the time kept back for the DELETE is not always enough.
    private func cleanUp(_ sandboxID: String, call: AdapterCall) async {
        let service = service
        let path = "/api/ergon/sandbox/\(TektonService.segment(sandboxID))"
        await Task {
            do {
                let timeout = min(Self.cleanupTimeout, max(0.5, call.remainingTime ?? Self.cleanupTimeout))
                _ = try await service.raw("DELETE", path, body: nil, call: call, timeout: timeout)
                return
            } catch is CancellationError {
                // Cut by the call's cancel (or its deadline): once more, in the cleanup window.
            } catch let error as AdapterError where error.code == "timeout" && call.remainingTime == 0 {
                // Cut at the call's deadline: once more, in the cleanup window.
                call.host.log(.info, "ergon sandbox \(sandboxID): the DELETE ran into the deadline (\(error.message)); trying again")
            } catch {
                call.host.log(.warning, "ergon sandbox \(sandboxID): cleanup failed: \(error)")
                return
            }
            do {
                // The host ends this request at the close of the cleanup window at the latest.
                _ = try await service.raw("DELETE", path, body: nil, call: call, timeout: Self.cleanupTimeout)
            } catch {
                call.host.log(.warning, "ergon sandbox \(sandboxID): cleanup failed: \(error)")
            }
        }.value
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

import Foundation
import HarmoniaSpawn
import HarmoniaPluginKit
import Hummingbird
import NIOCore
import Synchronization

/// Ergon as observed on the wire (public Tekton source of 2025-09-27, started locally): the
/// solution registry, the sandbox (whose execute route answers with an SSE stream), agents
/// and terminal chat, quirks included.
///
/// The command a sandbox runs goes through a real `/bin/sh`, as in Ergon: a scripted command
/// line (`script`) is replaced by a stand-in that prints the scripted output and ends with
/// the scripted status, everything else in the wrapped command (the exit marker, exports)
/// runs as sent. Unscripted commands run as they are. The output is then split the way
/// Ergon's providers split it (`Provider`). Ergon's own `exit_code` is never the marker's:
/// 0 with sandbox-exec (the shell's), null with Docker.
///
/// Observed quirks reproduced here:
/// - Provider failures and timeouts are `{"line": "[error] …"}`, not `{"error": …}`.
/// - Ergon's HTTPException handler answers `{"error": detail}`; validation stays FastAPI's
///   422 `{"detail": [{loc, msg, type}]}`.
/// - An unknown agent on `run` is a 500 ("Error running agent: 404: Agent with ID … not found").
/// - Agent names must be `[A-Za-z0-9_]`, `description` is required, ids are integers,
///   answers are camelCase.
/// - `terminal/message` reports a failure as HTTP 200 `{"status": "error", "error": …}`.
/// - `sandbox/test` ignores `environment`.
final class ErgonDouble: TektonDouble {
    /// What a scripted command prints and how it ends.
    struct Script: Sendable {
        var stdout: [String] = []
        var stderr: [String] = []
        /// The status the command ends with; nil: it never reaches the marker (the wrapping
        /// shell dies with it, as when the sandbox kills it).
        var status: Int? = 0
        /// Whether stdout ends with a newline (`printf 'a'` does not).
        var finalNewline = true
    }

    /// How the sandbox provider turns the command's output into `[stdout]` lines.
    enum Provider: Sendable {
        /// macOS sandbox-exec: line by line, each right-trimmed; stdout first, then stderr.
        case sandboxExec
        /// Docker: each chunk read is split into lines on its own, so a line can arrive in
        /// pieces; `chunkBytes` is the chunk size.
        case docker(chunkBytes: Int)
    }

    /// A failure the provider reports as an `[error]` line after the output so far.
    enum ProviderFailure: Sendable {
        case timeout
        case failed(String)
    }

    private struct State {
        var scripts: [String: Script] = [:]
        var units: [Int: PluginJSON] = [:]
        var sandboxes: [String: Int] = [:]  // sandbox id → unit id
        var deleted: [String] = []
        var deletedUnits: [Int] = []
        var agents: [Int: PluginJSON] = [:]
        var nextID = 1
        var holdExecution = false
        var executeStreamsEnded = 0
        var provider = Provider.sandboxExec
        var failure: ProviderFailure?
        var chatError: String?
    }

    let calls = CallLog()
    private let state = Mutex(State())

    /// Adds a command line (as the caller wrote it, before wrapping) to the script.
    func script(_ commandLine: String, _ script: Script) {
        state.withLock { $0.scripts[commandLine] = script }
    }

    /// The provider whose output format the double reproduces.
    func useProvider(_ provider: Provider) {
        state.withLock { $0.provider = provider }
    }

    /// Makes the provider end every execution with this failure (after the output).
    func failExecutions(_ failure: ProviderFailure?) {
        state.withLock { $0.failure = failure }
    }

    /// Makes `terminal/message` answer HTTP 200 `{"status": "error", "error": message}`.
    func failChat(with message: String?) {
        state.withLock { $0.chatError = message }
    }

    /// While on, execute streams hold open without an event (for timeout and cancel tests).
    func holdExecution(_ hold: Bool) {
        state.withLock { $0.holdExecution = hold }
    }

    /// Execute streams the double has ended (sent `done` and closed). A call that ends while
    /// this is still 0 was ended by its deadline or a cancel, not by the stream: the proof a
    /// timeout or cancel test needs, whatever the machine's speed.
    var executeStreamsEnded: Int { state.withLock { $0.executeStreamsEnded } }

    var deletedSandboxes: [String] { state.withLock { $0.deleted } }
    var liveSandboxes: Int { state.withLock { $0.sandboxes.count } }
    /// Units still in the registry (Harmonia should leave none behind).
    var liveUnits: Int { state.withLock { $0.units.count } }
    var deletedUnits: [Int] { state.withLock { $0.deletedUnits } }

    /// Ergon's HTTPException answer.
    static func error(_ message: String, status: HTTPResponse.Status) -> Response {
        .json(["error": .string(message)], status: status)
    }

    /// FastAPI's validation answer for one field.
    static func unprocessable(_ field: String, _ message: String, type: String = "missing", in place: String = "body") -> Response {
        .json(["detail": [["type": .string(type), "loc": [.string(place), .string(field)], "msg": .string(message)]]], status: .unprocessableContent)
    }

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/health") { _, _ in Response.json(["status": "healthy", "component": "ergon"]) }
        addRegistryRoutes(to: router)
        addSandboxRoutes(to: router)
        addAgentRoutes(to: router)
    }

    private func addRegistryRoutes(to router: Router<BasicRequestContext>) {
        router.post("/api/ergon/registry/store") { request, _ in
            var request = request
            let unit = try await request.json()
            let id = self.state.withLock { state -> Int in
                let id = state.nextID
                state.nextID += 1
                state.units[id] = unit
                return id
            }
            return Response.json(["success": true, "id": .string("\(id)"), "message": "Successfully stored unit"])
        }
        router.get("/api/ergon/registry/search") { request, _ in
            let name = request.uri.queryParameters.get("name")
            let units = self.state.withLock { state in
                state.units.sorted { $0.key < $1.key }.compactMap { id, unit -> PluginJSON? in
                    guard name.map({ unit["name"]?.stringValue?.contains($0) == true }) ?? true else { return nil }
                    var object = unit.objectValue ?? [:]
                    object["id"] = .string("\(id)")
                    return .object(object)
                }
            }
            return Response.json(["success": true, "count": .integer(units.count), "results": .array(units)])
        }
        router.delete("/api/ergon/registry/:id") { _, context in
            let raw = context.pathParameter("id")
            let removed = self.state.withLock { state -> Bool in
                guard let id = Int(raw), state.units.removeValue(forKey: id) != nil else { return false }
                state.deletedUnits.append(id)
                return true
            }
            guard removed else { return Self.error("Unit not found: \(raw)", status: .notFound) }
            return Response.json(["success": true, "message": .string("Successfully deleted unit: \(raw)")])
        }
    }

    private func addSandboxRoutes(to router: Router<BasicRequestContext>) {
        router.post("/api/ergon/sandbox/test") { request, _ in
            var request = request
            let body = try await request.json()
            let solution = body["solution_id"]?.stringValue ?? ""
            let sandboxID: String? = self.state.withLock { state in
                guard let unit = Int(solution), state.units[unit] != nil else { return nil }
                let id = "sandbox-\(state.nextID)"
                state.nextID += 1
                state.sandboxes[id] = unit
                return id
            }
            guard let sandboxID else { return Self.error("Solution \(solution) not found in Registry", status: .notFound) }
            return Response.json(["sandbox_id": .string(sandboxID)])
        }
        router.post("/api/ergon/sandbox/execute") { request, _ in
            var request = request
            let body = try await request.json()
            return try await self.executeStream(sandboxID: body["sandbox_id"]?.stringValue ?? "", command: body["command"])
        }
        router.get("/api/ergon/sandbox/results/:id") { _, context in
            let id = context.pathParameter("id")
            guard let (unit, provider) = self.state.withLock({ state in state.sandboxes[id].map { ($0, state.provider) } }) else {
                return Self.error("Sandbox \(id) not found", status: .notFound)
            }
            let exitCode: PluginJSON = if case .docker = provider { .null } else { 0 }
            return Response.json([
                "sandbox_id": .string(id), "solution_id": .string("\(unit)"), "status": "completed", "exit_code": exitCode,
                "execution_time": 0.01, "stdout": "", "stderr": "", "metrics": [:], "errors": [],
            ])
        }
        router.delete("/api/ergon/sandbox/:id") { _, context in
            let id = context.pathParameter("id")
            let found = self.state.withLock { state -> Bool in
                guard state.sandboxes.removeValue(forKey: id) != nil else { return false }
                state.deleted.append(id)
                return true
            }
            return found ? Response.json(["success": true]) : Self.error("Sandbox \(id) not found", status: .notFound)
        }
    }

    private func addAgentRoutes(to router: Router<BasicRequestContext>) {
        router.get("/api/v1/agents") { _, _ in
            Response.json(.array(self.state.withLock { $0.agents.sorted { $0.key < $1.key }.map(\.value) }))
        }
        router.post("/api/v1/agents") { request, _ in
            var request = request
            let body = try await request.json()
            guard let name = body["name"]?.stringValue else { return Self.unprocessable("name", "Field required") }
            guard let description = body["description"]?.stringValue else { return Self.unprocessable("description", "Field required") }
            guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") })
            else {
                return Self.error(
                    "Error creating agent: Agent name must contain only alphanumeric characters and underscores", status: .internalServerError)
            }
            let agent: PluginJSON = self.state.withLock { state in
                let id = state.nextID
                state.nextID += 1
                let agent: PluginJSON = [
                    "id": .integer(id), "name": .string(name), "description": .string(description),
                    "modelName": body["model_name"] ?? "double-model", "systemPrompt": .string("You are \(name)."),
                    "createdAt": "2025-09-27T12:00:00", "updatedAt": nil,
                ]
                state.agents[id] = agent
                return agent
            }
            return Response.json(agent)
        }
        router.post("/api/v1/agents/:id/run") { request, context in
            var request = request
            let body = try await request.json()
            guard let id = Int(context.pathParameter("id")) else {
                return Self.unprocessable("agent_id", "Input should be a valid integer, unable to parse string as an integer", type: "int_parsing", in: "path")
            }
            guard let agent = self.state.withLock({ $0.agents[id] }) else {
                return Self.error("Error running agent: 404: Agent with ID \(id) not found", status: .internalServerError)
            }
            let name = agent["name"]?.stringValue ?? "\(id)"
            return Response.json([
                "role": "assistant", "content": .string("\(name) ran: \(body["content"]?.stringValue ?? "")"), "timestamp": "2025-09-27T12:00:01",
            ])
        }
        router.post("/api/v1/terminal/message") { request, _ in
            var request = request
            let body = try await request.json()
            if let error = self.state.withLock({ $0.chatError }) {
                return Response.json(["status": "error", "message": nil, "error": .string(error), "contextId": "ergon"])
            }
            return Response.json([
                "status": "success", "message": .string("ergon heard: \(body["message"]?.stringValue ?? "")"), "error": nil, "contextId": "ergon",
            ])
        }
    }

    /// The SSE answer of `sandbox/execute`.
    private func executeStream(sandboxID: String, command: PluginJSON?) async throws -> Response {
        var events: [PluginJSON] = []
        let (known, provider, failure) = state.withLock { ($0.sandboxes[sandboxID] != nil, $0.provider, $0.failure) }
        if !known {
            // The runner's ValueError, raised before the provider yields: an `error` member.
            events.append(["error": .string("Sandbox \(sandboxID) not found")])
        } else if let argv = command?.arrayValue?.compactMap(\.stringValue), argv.count == 3, argv[0] == "sh", argv[1] == "-c" {
            let (stdout, stderr) = try await run(shellLine: argv[2], cutShort: failure != nil)
            events += Self.lines(stdout, provider).map { ["line": .string("[stdout] \($0)")] }
            events += Self.lines(stderr, provider).map { ["line": .string("[stderr] \($0)")] }
            switch failure {
            case .timeout: events.append(["line": "[error] Execution timeout exceeded"])
            case .failed(let message): events.append(["line": .string("[error] Execution failed: \(message)")])
            case nil: break
            }
        } else {
            // Ergon runs any argv; a command Harmonia did not wrap is a bug in the adapter.
            events.append(["line": .string("[error] Execution failed: not a `sh -c` command: \(command?.jsonString() ?? "none")")])
        }
        events.append(["done": true])
        let stream = events
        let body = ResponseBody { writer in
            // Held streams send nothing until released, or for at most 5 minutes: longer than
            // any suite's time limit, so a call can only end early through its own deadline
            // or cancel, and the cap only frees the double after a failed test.
            let until = ContinuousClock.now.advanced(by: .seconds(300))
            while self.state.withLock({ $0.holdExecution }), ContinuousClock.now < until {
                try await Task.sleep(for: .milliseconds(20))
            }
            for event in stream {
                try await writer.write(ByteBuffer(string: "data: \(event.jsonString())\n\n"))
            }
            try await writer.finish(nil)
            self.state.withLock { $0.executeStreamsEnded += 1 }
        }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }

    /// Runs `line` with `/bin/sh -c`, each scripted command in it replaced by its stand-in.
    /// `cutShort`: the provider fails, so the command stops after its own output (no marker).
    private func run(shellLine line: String, cutShort: Bool) async throws -> (stdout: [UInt8], stderr: [UInt8]) {
        var line = line
        for (command, script) in state.withLock({ $0.scripts }) where line.contains(command) {
            line = line.replacingOccurrences(of: command, with: Self.standIn(script, stopAfterwards: cutShort))
        }
        return try await ShellRun.run(line)
    }

    /// Shell text printing `script`'s output and ending with its status (or killing the
    /// wrapping shell, `$$` even inside the adapter's subshell, so no marker follows).
    static func standIn(_ script: Script, stopAfterwards: Bool) -> String {
        let stdout = script.stdout.joined(separator: "\n") + (script.finalNewline && !script.stdout.isEmpty ? "\n" : "")
        let stderr = script.stderr.map { $0 + "\n" }.joined()
        var text = "printf '%s' \(quote(stdout)); printf '%s' \(quote(stderr)) >&2; "
        if stopAfterwards || script.status == nil {
            text += "kill -9 $$"
        } else {
            text += "(exit \(script.status!))"
        }
        return text
    }

    static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The output as the provider yields it, one entry per `[stdout]`/`[stderr]` line.
    static func lines(_ bytes: [UInt8], _ provider: Provider) -> [String] {
        switch provider {
        case .sandboxExec:
            // `async for line in stream` then `.rstrip()`: a last line without newline still comes.
            var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.last == "" { lines.removeLast() }
            return lines.map { line in
                var line = Substring(line)
                while let last = line.last, last.isWhitespace { line.removeLast() }
                return String(line)
            }
        case .docker(let size):
            // `chunk.decode().splitlines()` per chunk.
            return stride(from: 0, to: bytes.count, by: max(1, size)).flatMap { start in
                let chunk = String(decoding: bytes[start..<min(bytes.count, start + max(1, size))], as: UTF8.self)
                var lines = chunk.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                if lines.last == "" { lines.removeLast() }
                return lines
            }
        }
    }
}

/// One `/bin/sh -c` run for a double, its output and status collected.
enum ShellRun {
    static func run(_ line: String) async throws -> (stdout: [UInt8], stderr: [UInt8]) {
        let run = try await run(line, directory: nil, environment: nil)
        return (run.stdout, run.stderr)
    }

    /// Runs `line` in `directory` (nil: the current one) with `environment` added to this
    /// process's. A directory that does not exist fails to launch, as in Python.
    static func run(
        _ line: String, directory: String?, environment: [String: String]?
    ) async throws -> (stdout: [UInt8], stderr: [UInt8], status: Int32) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    let environment = ProcessInfo.processInfo.environment.merging(environment ?? [:]) { _, added in added }
                    let process = try SpawnedProcess(
                        executable: "/bin/sh", arguments: ["-c", line], environment: environment,
                        currentDirectory: directory)
                    // Read both to their end before waiting, so a full pipe cannot block the child.
                    let out = FileHandle(fileDescriptor: process.stdout!, closeOnDealloc: true)
                    let err = FileHandle(fileDescriptor: process.stderr!, closeOnDealloc: true)
                    let group = DispatchGroup()
                    nonisolated(unsafe) var stderr = Data()
                    group.enter()
                    DispatchQueue.global().async {
                        stderr = err.readDataToEndOfFile()
                        group.leave()
                    }
                    let stdout = out.readDataToEndOfFile()
                    group.wait()
                    let ending = process.waitUntilExit()
                    continuation.resume(returning: (Array(stdout), Array(stderr), ending.status))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}

import Foundation
import HarmoniaPluginKit
import Hummingbird
import NIOCore
import Synchronization

/// Ergon as tekton.md describes it: the solution registry, the sandbox (whose execute route
/// answers with an SSE stream), agents and terminal chat.
///
/// Commands are not run: the double knows a script of command lines and their output. It
/// checks that each command arrives wrapped with the exit marker and prints the marker
/// itself, while its own `exit_code` (in the results) is always 0 — as unreliable as Ergon's.
final class ErgonDouble: TektonDouble {
    /// What a scripted command prints and how it ends.
    struct Script: Sendable {
        var stdout: [String] = []
        var stderr: [String] = []
        /// The status in the marker line; nil: the command never reaches the marker (it called `exit`).
        var status: Int? = 0
    }

    private struct State {
        var scripts: [String: Script] = [:]
        var units: [String: PluginJSON] = [:]
        var sandboxes: [String: String] = [:]  // sandbox id → solution id
        var deleted: [String] = []
        var agents: [String: PluginJSON] = [:]
        var nextID = 1
        var holdExecution = false
        var executeStreamsEnded = 0
    }

    let calls = CallLog()
    private let state = Mutex(State())

    /// Adds a command line (as the caller wrote it, before wrapping) to the script.
    func script(_ commandLine: String, _ script: Script) {
        state.withLock { $0.scripts[commandLine] = script }
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

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/health") { _, _ in Response.json(["status": "healthy", "component": "ergon"]) }
        router.post("/api/ergon/registry/store") { request, _ in
            var request = request
            let unit = try await request.json()
            let id = self.state.withLock { state -> String in
                let id = "unit-\(state.nextID)"
                state.nextID += 1
                state.units[id] = unit
                return id
            }
            return Response.json(["success": true, "id": .string(id), "message": "Successfully stored unit"])
        }
        router.get("/api/ergon/registry/search") { request, _ in
            let name = request.uri.queryParameters.get("name")
            let units = self.state.withLock { state in
                state.units.sorted { $0.key < $1.key }.compactMap { id, unit -> PluginJSON? in
                    guard name.map({ unit["name"]?.stringValue?.contains($0) == true }) ?? true else { return nil }
                    var object = unit.objectValue ?? [:]
                    object["id"] = .string(id)
                    return .object(object)
                }
            }
            return Response.json(["success": true, "count": .integer(units.count), "results": .array(units)])
        }
        router.post("/api/ergon/sandbox/test") { request, _ in
            var request = request
            let body = try await request.json()
            let solutionID = body["solution_id"]?.stringValue ?? ""
            let sandboxID: String? = self.state.withLock { state in
                guard state.units[solutionID] != nil else { return nil }
                let id = "sandbox-\(state.nextID)"
                state.nextID += 1
                state.sandboxes[id] = solutionID
                return id
            }
            guard let sandboxID else { return Response.json(["detail": .string("Solution not found: \(solutionID)")], status: .notFound) }
            return Response.json(["sandbox_id": .string(sandboxID)])
        }
        router.post("/api/ergon/sandbox/execute") { request, _ in
            var request = request
            let body = try await request.json()
            return self.executeStream(sandboxID: body["sandbox_id"]?.stringValue ?? "", command: body["command"])
        }
        router.get("/api/ergon/sandbox/results/:id") { _, context in
            let id = context.pathParameter("id")
            guard let solutionID = self.state.withLock({ $0.sandboxes[id] }) else {
                return Response.json(["detail": .string("Sandbox \(id) not found")], status: .notFound)
            }
            // Ergon's own exit_code: not to be trusted, and here always 0.
            return Response.json([
                "sandbox_id": .string(id), "solution_id": .string(solutionID), "status": "completed", "exit_code": 0,
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
            return found ? Response.json(["success": true]) : Response.json(["detail": .string("Sandbox \(id) not found")], status: .notFound)
        }
        addAgentRoutes(to: router)
    }

    private func addAgentRoutes(to router: Router<BasicRequestContext>) {
        router.get("/api/v1/agents") { _, _ in
            Response.json(.array(self.state.withLock { $0.agents.sorted { $0.key < $1.key }.map(\.value) }))
        }
        router.post("/api/v1/agents") { request, _ in
            var request = request
            var agent = try await request.json().objectValue ?? [:]
            self.state.withLock { state in
                agent["id"] = .string("\(state.nextID)")
                state.agents["\(state.nextID)"] = .object(agent)
                state.nextID += 1
            }
            return Response.json(.object(agent))
        }
        router.post("/api/v1/agents/:id/run") { request, context in
            var request = request
            let body = try await request.json()
            let id = context.pathParameter("id")
            guard let agent = self.state.withLock({ $0.agents[id] }) else {
                return Response.json(["detail": .string("Agent \(id) not found")], status: .notFound)
            }
            let name = agent["name"]?.stringValue ?? id
            return Response.json(["content": .string("\(name) ran: \(body["content"]?.stringValue ?? "")"), "agent_id": .string(id)])
        }
        router.post("/api/v1/terminal/message") { request, _ in
            var request = request
            let body = try await request.json()
            return Response.json(["response": .string("ergon heard: \(body["message"]?.stringValue ?? "")"), "success": true])
        }
    }

    /// The SSE answer of `sandbox/execute`.
    private func executeStream(sandboxID: String, command: PluginJSON?) -> Response {
        var events: [PluginJSON] = []
        let known = state.withLock { $0.sandboxes[sandboxID] != nil }
        if !known {
            events.append(["error": .string("Sandbox \(sandboxID) not found")])
        } else if let argv = command?.arrayValue?.compactMap(\.stringValue), argv.count == 3, argv[0] == "sh", argv[1] == "-c",
            argv[2].hasSuffix("; echo __HARMONIA_EXIT__=$?")
        {
            let line = String(argv[2].dropLast("; echo __HARMONIA_EXIT__=$?".count))
            let script = state.withLock { $0.scripts[line] } ?? Script(stderr: ["sh: 1: \(line): not found"], status: 127)
            events += script.stdout.map { ["line": .string("[stdout] \($0)")] }
            events += script.stderr.map { ["line": .string("[stderr] \($0)")] }
            if let status = script.status { events.append(["line": .string("[stdout] __HARMONIA_EXIT__=\(status)")]) }
        } else {
            events.append(["error": .string("Execution failed: command not wrapped with the exit marker: \(command?.jsonString() ?? "none")")])
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
}

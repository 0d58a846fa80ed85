import HarmoniaPluginKit

/// Ergon's single-request actions: agents, terminal chat and the solution registry.
extension ErgonAdapter {
    /// `run_agent {agent_id, content}` → `POST /api/v1/agents/{id}/run {"content", "stream": false}`.
    ///
    /// Ergon wraps its own 404 for an unknown agent in a 500 ("Error running agent: 404:
    /// Agent with ID 7 not found"); that answer is reported as `not_found`, as it means.
    func runAgent(_ call: AdapterCall) async throws -> PluginJSON {
        let agentID = try agentID(call)
        let content = try call.requiredString("content")
        let answer: PluginJSON
        do {
            answer = try await service.post(
                "/api/v1/agents/\(agentID)/run", ["content": .string(content), "stream": false], call: call)
        } catch var error as AdapterError where error.httpStatus == 500 && error.message.contains("Agent with ID \(agentID) not found") {
            error.code = "not_found"
            throw error
        }
        return ["result": Self.text(of: answer), "agent_id": .integer(agentID), "response": answer]
    }

    /// `create_agent {name, description, model_name?, tools?, temperature?}` → `POST /api/v1/agents`.
    /// Ergon answers the agent in camelCase (`modelName`, `systemPrompt`).
    func createAgent(_ call: AdapterCall) async throws -> PluginJSON {
        let agent = try await service.post("/api/v1/agents", call.input, call: call)
        var output: [String: PluginJSON] = ["result": agent]
        if let id = agent["id"]?.intValue { output["agent_id"] = .integer(id) }
        return .object(output)
    }

    /// `list_agents` → `GET /api/v1/agents`.
    func listAgents(_ call: AdapterCall) async throws -> PluginJSON {
        let answer = try await service.get("/api/v1/agents", call: call)
        let agents = answer.arrayValue ?? answer["agents"]?.arrayValue ?? []
        return ["result": .array(agents), "count": .integer(agents.count)]
    }

    /// `chat {message}` → `POST /api/v1/terminal/message {"message", "streaming": false, "save_to_memory": false}`.
    ///
    /// Ergon answers a failure (no LLM, a provider error) with HTTP 200
    /// `{"status": "error", "error": "…"}`: that is a `component_error`, never a reply.
    func chat(_ call: AdapterCall) async throws -> PluginJSON {
        let message = try call.requiredString("message")
        let answer = try await service.post(
            "/api/v1/terminal/message", ["message": .string(message), "streaming": false, "save_to_memory": false], call: call)
        if answer["status"]?.stringValue?.lowercased() == "error" {
            let reason = answer["error"]?.stringValue ?? answer["message"]?.stringValue ?? "no message"
            throw AdapterError(
                code: "component_error", message: "ergon answered chat with an error: \(reason)", retryable: false, httpStatus: 200,
                details: ["response": answer])
        }
        guard let reply = answer["message"]?.stringValue else {
            throw invalidResponse("terminal/message answered without a `message`", call: call)
        }
        return ["result": .string(reply), "response": answer]
    }

    /// `search_registry {type?, name?, query?, meets_standards?, limit?}` →
    /// `GET /api/ergon/registry/search` (`query` is an alias of `name`, a partial match).
    func searchRegistry(_ call: AdapterCall) async throws -> PluginJSON {
        var query: [(String, String)] = []
        if let type = try call.optionalString("type") { query.append(("type", type)) }
        if let name = try call.optionalString("name") ?? call.optionalString("query") { query.append(("name", name)) }
        if let standards = call.input["meets_standards"]?.boolValue { query.append(("meets_standards", standards ? "true" : "false")) }
        if let limit = try call.optionalNumber("limit") { query.append(("limit", String(Int(limit)))) }
        let answer = try await service.get("/api/ergon/registry/search", query: query, call: call)
        let results = answer["results"]?.arrayValue ?? answer.arrayValue ?? []
        return ["result": .array(results), "count": .integer(answer["count"]?.intValue ?? results.count)]
    }

    /// Ergon's agent ids are integers; a string of digits (an id read from an earlier
    /// output through an expression) is taken as one.
    private func agentID(_ call: AdapterCall) throws -> Int {
        if let id = call.input["agent_id"]?.intValue ?? call.input["agent_id"]?.stringValue.flatMap({ Int($0) }), id >= 0 { return id }
        throw AdapterError.invalidInput("ergon.\(call.action) needs `agent_id`: an integer")
    }

    /// The reply text of an agent or chat answer: `content`, `response`, `message` or
    /// `result`, whichever the build sends; the whole answer when none is text.
    static func text(of answer: PluginJSON) -> PluginJSON {
        for key in ["content", "response", "message", "result"] {
            if let text = answer[key]?.stringValue { return .string(text) }
        }
        if let text = answer.stringValue { return .string(text) }
        return answer
    }
}

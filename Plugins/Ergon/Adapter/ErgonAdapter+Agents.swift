import HarmoniaPluginKit

/// Ergon's single-request actions: agents, terminal chat and the solution registry.
extension ErgonAdapter {
    /// `run_agent {agent_id, content}` → `POST /api/v1/agents/{id}/run {"content", "stream": false}`.
    func runAgent(_ call: AdapterCall) async throws -> PluginJSON {
        let agentID = try agentID(call)
        let content = try call.requiredString("content")
        let answer = try await service.post(
            "/api/v1/agents/\(TektonService.segment(agentID))/run", ["content": .string(content), "stream": false], call: call)
        return ["result": Self.text(of: answer), "agent_id": .string(agentID), "response": answer]
    }

    /// `create_agent {name, description?, model_name?, ...}` → `POST /api/v1/agents` with the input.
    func createAgent(_ call: AdapterCall) async throws -> PluginJSON {
        _ = try call.requiredString("name")
        let agent = try await service.post("/api/v1/agents", call.input, call: call)
        var output: [String: PluginJSON] = ["result": agent]
        if let id = Self.identifier(agent["id"] ?? agent["agent_id"]) { output["agent_id"] = .string(id) }
        return .object(output)
    }

    /// `list_agents` → `GET /api/v1/agents`.
    func listAgents(_ call: AdapterCall) async throws -> PluginJSON {
        let answer = try await service.get("/api/v1/agents", call: call)
        let agents = answer.arrayValue ?? answer["agents"]?.arrayValue ?? []
        return ["result": .array(agents), "count": .integer(agents.count)]
    }

    /// `chat {message}` → `POST /api/v1/terminal/message {"message", "streaming": false, "save_to_memory": false}`.
    func chat(_ call: AdapterCall) async throws -> PluginJSON {
        let message = try call.requiredString("message")
        let answer = try await service.post(
            "/api/v1/terminal/message", ["message": .string(message), "streaming": false, "save_to_memory": false], call: call)
        return ["result": Self.text(of: answer), "response": answer]
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

    private func agentID(_ call: AdapterCall) throws -> String {
        if let id = Self.identifier(call.input["agent_id"]) { return id }
        throw AdapterError.invalidInput("ergon.\(call.action) needs `agent_id`")
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

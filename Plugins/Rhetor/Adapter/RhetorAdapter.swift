import HarmoniaPluginKit

/// The Rhetor adapter (LLM access; Tekton port 8003).
///
/// Rhetor's code answers 503 `{"detail": "Rhetor not initialized"}` before its start-up is
/// done (`upstream_unavailable`, retryable), but observed on 2025-09-27 a failed start-up
/// makes the process exit instead: the adapter then sees a refused connection
/// (`component_unreachable`, retryable) and says so in the message.
public struct RhetorAdapter: HarmoniaAdapter {
    public static let manifest = PluginManifest(
        name: "rhetor", version: "1.0.0", component: "rhetor",
        description: "Rhetor: text generation, chat, models and prompt templates",
        actions: actionManifests)

    /// Tekton's port for Rhetor.
    static let defaultPort = 8003
    /// How Harmonia names itself to Rhetor (`component` in generate requests).
    static let callerName = "harmonia"

    let service: TektonService

    public init(configuration: AdapterConfiguration) throws {
        service = try TektonService(configuration: configuration, defaultPort: Self.defaultPort)
    }

    public func invoke(_ call: AdapterCall) async throws -> PluginJSON {
        if let schema = Self.inputSchema(of: call.action) { try call.validateInput(against: schema) }
        do {
            switch call.action {
            case "generate": return try await generate(call)
            case "chat": return try await chat(call)
            case "list_models": return try await listModels(call)
            case "render_prompt": return try await renderPrompt(call)
            default: throw AdapterError.unknownAction(call.action, component: call.component)
            }
        } catch var error as AdapterError where error.code == "component_unreachable" {
            error.message += " (Rhetor exits at start-up when its initialization fails: see its log)"
            throw error
        }
    }

    /// `generate {prompt, system_prompt?, model?, temperature?, max_tokens?}` →
    /// `POST /api/v1/generate` with `"component": "harmonia"`.
    func generate(_ call: AdapterCall) async throws -> PluginJSON {
        var body = call.passThrough(["system_prompt", "model", "temperature", "max_tokens", "capability"])
        body["prompt"] = .string(try call.requiredString("prompt"))
        body["component"] = .string(Self.callerName)
        let answer = try await service.post("/api/v1/generate", .object(body), call: call)
        return [
            "result": answer["response"] ?? answer["content"] ?? .null,
            "model": answer["model"] ?? .null,
            "usage": answer["usage"] ?? .null,
        ]
    }

    /// `chat {messages | message, model?, temperature?, max_tokens?, context_id?}` →
    /// `POST /api/v1/chat`; a single `message` becomes one user message.
    func chat(_ call: AdapterCall) async throws -> PluginJSON {
        var body = call.passThrough(["model", "temperature", "max_tokens", "context_id"])
        if let messages = call.input["messages"]?.arrayValue, !messages.isEmpty {
            body["messages"] = .array(messages)
        } else if let message = try call.optionalString("message"), !message.isEmpty {
            body["messages"] = [["role": "user", "content": .string(message)]]
        } else {
            throw AdapterError.invalidInput("rhetor.chat needs `messages` (a non-empty array) or `message` (a string)")
        }
        let answer = try await service.post("/api/v1/chat", .object(body), call: call)
        return ["result": Self.content(of: answer), "model": answer["model"] ?? .null, "usage": answer["usage"] ?? .null]
    }

    /// `list_models {provider?, capability?, include_deprecated?}` → `GET /api/models/` and
    /// `GET /api/models/providers`, Rhetor's model catalogue. (`GET /api/v1/models` fails with
    /// 500 on Rhetor 2025-09-27: it awaits a client method that is not async.)
    func listModels(_ call: AdapterCall) async throws -> PluginJSON {
        var query: [(String, String)] = []
        if let provider = try call.optionalString("provider") { query.append(("provider", provider)) }
        if let capability = try call.optionalString("capability") { query.append(("capability", capability)) }
        if let deprecated = call.input["include_deprecated"]?.boolValue { query.append(("include_deprecated", deprecated ? "true" : "false")) }
        let models = try await service.get("/api/models/", query: query, call: call)
        let providers = try await service.get("/api/models/providers", call: call)
        return ["result": models, "count": .integer(models.arrayValue?.count ?? 0), "providers": providers]
    }

    /// `render_prompt {template_name | template_id, variables?, context_id?}` →
    /// `POST /api/v1/prompts/render {"template_name", "variables", "context_id"}` → `{"prompt"}`.
    func renderPrompt(_ call: AdapterCall) async throws -> PluginJSON {
        var body = call.passThrough(["variables", "context_id"])
        body["template_name"] = .string(try call.optionalString("template_name") ?? call.requiredString("template_id"))
        let answer = try await service.post("/api/v1/prompts/render", .object(body), call: call)
        return ["result": answer["prompt"] ?? answer, "response": answer]
    }

    /// The reply text of a chat answer: `content`, `message.content`, `message` or `response`.
    static func content(of answer: PluginJSON) -> PluginJSON {
        if let text = answer["content"]?.stringValue { return .string(text) }
        if let text = answer["message"]?["content"]?.stringValue { return .string(text) }
        if let text = answer["message"]?.stringValue { return .string(text) }
        if let text = answer["response"]?.stringValue { return .string(text) }
        return answer
    }
}

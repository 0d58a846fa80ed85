import HarmoniaPluginKit

/// The Rhetor adapter (LLM access; Tekton port 8003).
///
/// While its models are down Rhetor answers 503 `{"detail": "Rhetor not initialized"}`:
/// that is `upstream_unavailable`, retryable, so a task with a retry policy waits it out.
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
        switch call.action {
        case "generate": return try await generate(call)
        case "chat": return try await chat(call)
        case "list_models": return try await listModels(call)
        case "render_prompt": return try await renderPrompt(call)
        default: throw AdapterError.unknownAction(call.action, component: call.component)
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

    /// `list_models` → `GET /api/v1/models`.
    func listModels(_ call: AdapterCall) async throws -> PluginJSON {
        let answer = try await service.get("/api/v1/models", call: call)
        return ["result": answer["models"] ?? answer["providers"] ?? answer, "response": answer]
    }

    /// `render_prompt {template_id | template, variables?}` → `POST /api/v1/prompts/render`.
    func renderPrompt(_ call: AdapterCall) async throws -> PluginJSON {
        guard call.input["template_id"] != nil || call.input["template"] != nil else {
            throw AdapterError.invalidInput("rhetor.render_prompt needs `template_id` or `template`")
        }
        let answer = try await service.post("/api/v1/prompts/render", call.input, call: call)
        let rendered = answer["rendered"] ?? answer["rendered_prompt"] ?? answer["prompt"] ?? answer["content"] ?? answer
        return ["result": rendered, "response": answer]
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

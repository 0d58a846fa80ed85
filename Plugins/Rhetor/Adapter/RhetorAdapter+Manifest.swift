import HarmoniaPluginKit

/// Rhetor's actions and the JSON Schema of each input, aligned with the real Rhetor
/// (2025-09-27: `GenerateRequest`, `ChatRequest`, `PromptRequest`); `invoke` checks every
/// input against it.
extension RhetorAdapter {
    static let actionManifests: [ActionManifest] = [
        ActionManifest(
            name: "generate",
            description: "Generates text; returns {result: the text, model, usage}. Rhetor 2025-09-27 routes the prompt by "
                + "capability and ignores system_prompt, model, temperature and max_tokens on its specialist path; they are sent as given.",
            inputSchema: [
                "type": "object", "required": ["prompt"], "additionalProperties": false,
                "properties": [
                    "prompt": ["type": "string", "minLength": 1], "system_prompt": ["type": "string"], "model": ["type": "string"],
                    "temperature": ["type": "number", "minimum": 0, "maximum": 2], "max_tokens": ["type": "integer", "minimum": 1],
                    "capability": ["type": "string", "description": "Rhetor's routing capability; its default is reasoning"],
                ],
            ]),
        ActionManifest(
            name: "chat",
            description: "Chats with `messages` or one `message`; returns {result: the reply, model, usage}. Rhetor 2025-09-27 "
                + "answers only the last user message (plus the last system message as system prompt): earlier turns are ignored, "
                + "and so are model, temperature and max_tokens on its specialist path.",
            inputSchema: [
                "type": "object", "additionalProperties": false,
                "anyOf": [["required": ["messages"]], ["required": ["message"]]],
                "properties": [
                    "messages": [
                        "type": "array", "minItems": 1,
                        "items": [
                            "type": "object", "required": ["role", "content"],
                            "properties": ["role": ["type": "string", "enum": ["system", "user", "assistant"]], "content": ["type": "string"]],
                        ],
                    ],
                    "message": ["type": "string", "minLength": 1],
                    "model": ["type": "string"], "temperature": ["type": "number", "minimum": 0, "maximum": 2],
                    "max_tokens": ["type": "integer", "minimum": 1],
                    "context_id": ["type": "string", "description": "an existing Rhetor context (404 otherwise)"],
                ],
            ]),
        ActionManifest(
            name: "list_models",
            description: "Lists Rhetor's model catalogue; returns {result: [models], providers}. "
                + "Reads /api/models/ and /api/models/providers (Rhetor's /api/v1/models fails with 500).",
            inputSchema: [
                "type": "object", "additionalProperties": false,
                "properties": [
                    "provider": ["type": "string"], "capability": ["type": "string"], "include_deprecated": ["type": "boolean"],
                ],
            ]),
        ActionManifest(
            name: "render_prompt",
            description: "Renders one of Rhetor's prompt templates with variables; returns {result: the text, response}. "
                + "template_id is read as template_name; an inline template is not something Rhetor renders.",
            inputSchema: [
                "type": "object", "additionalProperties": false,
                "anyOf": [["required": ["template_name"]], ["required": ["template_id"]]],
                "properties": [
                    "template_name": ["type": "string", "minLength": 1], "template_id": ["type": "string", "minLength": 1],
                    "variables": ["type": "object"], "context_id": ["type": "string"],
                ],
            ]),
    ]

    /// The input schema of `action`, if the adapter has that action.
    static func inputSchema(of action: String) -> PluginJSON? {
        actionManifests.first { $0.name == action }?.inputSchema
    }
}

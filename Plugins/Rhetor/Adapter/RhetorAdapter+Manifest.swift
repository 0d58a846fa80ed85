import HarmoniaPluginKit

/// Rhetor's actions and the JSON Schema of each input.
extension RhetorAdapter {
    static let actionManifests: [ActionManifest] = [
        ActionManifest(
            name: "generate", description: "Generates text; returns {result: the text, model, usage}.",
            inputSchema: [
                "type": "object", "required": ["prompt"],
                "properties": [
                    "prompt": ["type": "string"], "system_prompt": ["type": "string"], "model": ["type": "string"],
                    "temperature": ["type": "number"], "max_tokens": ["type": "integer", "minimum": 1],
                ],
            ]),
        ActionManifest(
            name: "chat", description: "Chats with `messages` or one `message`; returns {result: the reply}.",
            inputSchema: [
                "type": "object",
                "properties": [
                    "messages": ["type": "array", "items": ["type": "object"]], "message": ["type": "string"],
                    "model": ["type": "string"],
                ],
            ]),
        ActionManifest(
            name: "list_models", description: "Lists the models Rhetor offers; returns {result}.",
            inputSchema: ["type": "object"]),
        ActionManifest(
            name: "render_prompt", description: "Renders a prompt template with variables; returns {result: the text}.",
            inputSchema: [
                "type": "object",
                "properties": ["template_id": ["type": "string"], "template": ["type": "string"], "variables": ["type": "object"]],
            ]),
    ]
}

import HarmoniaPluginKit

/// Ergon's actions and the JSON Schema of each input.
extension ErgonAdapter {
    static let actionManifests: [ActionManifest] = [
        ActionManifest(
            name: "execute_command",
            description: "Runs a command (in Ergon's sandbox, or on this host in local mode); "
                + "returns {result: trimmed stdout, stdout, stderr, exit_code, success}. A non-zero exit fails with command_failed.",
            inputSchema: [
                "type": "object",
                "required": ["command"],
                "properties": [
                    "command": ["oneOf": [["type": "string"], ["type": "array", "items": ["type": "string"], "minItems": 1]]],
                    "timeout": ["type": "number", "exclusiveMinimum": 0],
                    "environment": ["type": "object", "additionalProperties": ["type": "string"]],
                ],
            ]),
        ActionManifest(
            name: "run_agent", description: "Runs an Ergon agent on `content`; returns {result: the agent's reply}.",
            inputSchema: [
                "type": "object", "required": ["agent_id", "content"],
                "properties": ["agent_id": ["type": ["string", "integer"]], "content": ["type": "string"]],
            ]),
        ActionManifest(
            name: "create_agent", description: "Creates an agent from the input (name, description, model_name, ...).",
            inputSchema: ["type": "object", "required": ["name"], "properties": ["name": ["type": "string"]]]),
        ActionManifest(
            name: "list_agents", description: "Lists Ergon's agents; returns {result: [agents], count}.",
            inputSchema: ["type": "object"]),
        ActionManifest(
            name: "chat", description: "Sends one message to Ergon's terminal chat; returns {result: the reply}.",
            inputSchema: ["type": "object", "required": ["message"], "properties": ["message": ["type": "string"]]]),
        ActionManifest(
            name: "search_registry", description: "Searches Ergon's solution registry; returns {result: [units], count}.",
            inputSchema: [
                "type": "object",
                "properties": [
                    "type": ["type": "string"], "name": ["type": "string"], "query": ["type": "string"],
                    "meets_standards": ["type": "boolean"], "limit": ["type": "integer", "minimum": 1, "maximum": 1000],
                ],
            ]),
    ]
}

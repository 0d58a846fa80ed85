import HarmoniaPluginKit

/// Ergon's actions and the JSON Schema of each input, aligned with what the real Ergon
/// (2025-09-27) requires and accepts; `invoke` checks every input against it.
extension ErgonAdapter {
    static let actionManifests: [ActionManifest] = [
        ActionManifest(
            name: "execute_command",
            description: "Runs a command (in Ergon's sandbox, or on this host in local mode); "
                + "returns {result: trimmed stdout, stdout, stderr, exit_code, success, sandbox_id | mode}. "
                + "A non-zero exit fails with command_failed; Ergon's timeout with timeout; a sandbox failure with sandbox_error. "
                + "`environment` is exported by the shell (Ergon's sandbox ignores the one it is given).",
            inputSchema: [
                "type": "object", "required": ["command"], "additionalProperties": false,
                "properties": [
                    "command": ["anyOf": [["type": "string", "minLength": 1], ["type": "array", "items": ["type": "string"], "minItems": 1]]],
                    "timeout": ["type": "number", "exclusiveMinimum": 0],
                    "environment": [
                        "type": "object", "additionalProperties": ["type": ["string", "number", "boolean"]],
                        "description": "variables exported before the command (names: letters, digits, _; numbers and booleans as written)",
                    ],
                ],
            ]),
        ActionManifest(
            name: "run_agent",
            description: "Runs an Ergon agent on `content`; returns {result: the agent's reply, agent_id, response}. "
                + "An unknown agent fails with not_found (Ergon answers it as HTTP 500).",
            inputSchema: [
                "type": "object", "required": ["agent_id", "content"], "additionalProperties": false,
                "properties": [
                    "agent_id": ["type": ["integer", "string"], "pattern": "^[0-9]+$", "minimum": 0, "description": "Ergon's integer id"],
                    "content": ["type": "string"],
                ],
            ]),
        ActionManifest(
            name: "create_agent",
            description: "Creates an agent (Ergon generates it with its LLM); returns {result: the agent (camelCase), agent_id}.",
            inputSchema: [
                "type": "object", "required": ["name", "description"], "additionalProperties": false,
                "properties": [
                    "name": ["type": "string", "pattern": "^[A-Za-z0-9_]+$"],
                    "description": ["type": "string"],
                    "model_name": ["type": "string"],
                    "tools": ["type": "array", "items": ["type": "object"]],
                    "temperature": ["type": "number", "minimum": 0, "maximum": 1],
                ],
            ]),
        ActionManifest(
            name: "list_agents", description: "Lists Ergon's agents; returns {result: [agents], count}.",
            inputSchema: ["type": "object", "additionalProperties": false, "properties": [:]]),
        ActionManifest(
            name: "chat",
            description: "Sends one message to Ergon's terminal chat (its LLM); returns {result: the reply, response}. "
                + "Ergon's HTTP-200 error answer fails with component_error.",
            inputSchema: [
                "type": "object", "required": ["message"], "additionalProperties": false,
                "properties": ["message": ["type": "string", "minLength": 1]],
            ]),
        ActionManifest(
            name: "search_registry", description: "Searches Ergon's solution registry; returns {result: [units], count}.",
            inputSchema: [
                "type": "object", "additionalProperties": false,
                "properties": [
                    "type": ["type": "string"], "name": ["type": "string", "description": "a partial match"],
                    "query": ["type": "string", "description": "the same as name"],
                    "meets_standards": ["type": "boolean"], "limit": ["type": "integer", "minimum": 1, "maximum": 1000],
                ],
            ]),
    ]

    /// The input schema of `action`, if the adapter has that action.
    static func inputSchema(of action: String) -> PluginJSON? {
        actionManifests.first { $0.name == action }?.inputSchema
    }
}

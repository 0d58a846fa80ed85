import HarmoniaPluginKit

/// Synthesis' actions and the JSON Schema of each input, aligned with what the real
/// Synthesis (2025-09-27) reads; `invoke` checks every input against it.
extension SynthesisAdapter {
    static let actionManifests: [ActionManifest] = [
        ActionManifest(
            name: "execute_plan",
            description: "Runs a plan to its end; returns {result: [step results {step_index, step_id, success, data}], results, execution_id, status}. "
                + "Fails with execution_failed unless the execution completed and every step succeeded. "
                + "A retry re-attaches to the execution an earlier attempt started.",
            inputSchema: [
                "type": "object", "required": ["plan"], "additionalProperties": false,
                "properties": [
                    "plan": [
                        "type": "object", "required": ["steps"],
                        "properties": [
                            "steps": [
                                "type": "array", "minItems": 1,
                                "items": [
                                    "type": "object", "required": ["type"],
                                    "properties": ["type": ["type": "string", "minLength": 1], "parameters": ["type": "object"]],
                                ],
                            ]
                        ],
                    ]
                ],
            ]),
        ActionManifest(
            name: "execute_command",
            description: "Runs one shell command as a one-step plan (Synthesis runs it with a shell on its own host); "
                + "returns {result: stdout, stdout, stderr, exit_code, success, execution_id, status, results}. "
                + "An argv array is quoted into one line; working_directory and environment become the step's cwd and env.",
            inputSchema: [
                "type": "object", "required": ["command"], "additionalProperties": false,
                "properties": [
                    "command": ["anyOf": [["type": "string", "minLength": 1], ["type": "array", "items": ["type": "string"], "minItems": 1]]],
                    "working_directory": ["type": "string", "minLength": 1],
                    "environment": ["type": "object", "additionalProperties": ["type": "string"]],
                    "timeout": ["type": "number", "exclusiveMinimum": 0, "description": "seconds; Synthesis' default is 60"],
                ],
            ]),
        ActionManifest(
            name: "get_execution", description: "Reads an execution; returns {result: its record, status, execution_id}.",
            inputSchema: [
                "type": "object", "required": ["execution_id"], "additionalProperties": false,
                "properties": ["execution_id": ["type": "string", "minLength": 1]],
            ]),
        ActionManifest(
            name: "cancel_execution", description: "Cancels a running execution; returns {result: true, execution_id, message}.",
            inputSchema: [
                "type": "object", "required": ["execution_id"], "additionalProperties": false,
                "properties": ["execution_id": ["type": "string", "minLength": 1]],
            ]),
    ]

    /// The input schema of `action`, if the adapter has that action.
    static func inputSchema(of action: String) -> PluginJSON? {
        actionManifests.first { $0.name == action }?.inputSchema
    }
}

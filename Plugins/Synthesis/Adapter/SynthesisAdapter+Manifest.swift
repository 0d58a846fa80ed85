import HarmoniaPluginKit

/// Synthesis' actions and the JSON Schema of each input.
extension SynthesisAdapter {
    static let actionManifests: [ActionManifest] = [
        ActionManifest(
            name: "execute_plan",
            description: "Runs a plan to its end; returns {result: [step results], execution_id, status}. "
                + "Fails unless every step succeeded. A retry re-attaches to the execution an earlier attempt started.",
            inputSchema: [
                "type": "object", "required": ["plan"],
                "properties": [
                    "plan": [
                        "type": "object", "required": ["steps"],
                        "properties": [
                            "steps": [
                                "type": "array",
                                "items": ["type": "object", "required": ["type"], "properties": ["type": ["type": "string"], "parameters": ["type": "object"]]],
                            ]
                        ],
                    ]
                ],
            ]),
        ActionManifest(
            name: "execute_command", description: "Runs one command as a one-step plan; returns {result: the step's output, results, ...}.",
            inputSchema: [
                "type": "object", "required": ["command"],
                "properties": ["command": ["oneOf": [["type": "string"], ["type": "array", "items": ["type": "string"]]]]],
            ]),
        ActionManifest(
            name: "get_execution", description: "Reads an execution; returns {result: its record, status}.",
            inputSchema: ["type": "object", "required": ["execution_id"], "properties": ["execution_id": ["type": "string"]]]),
        ActionManifest(
            name: "cancel_execution", description: "Cancels an execution; returns {result: true}.",
            inputSchema: ["type": "object", "required": ["execution_id"], "properties": ["execution_id": ["type": "string"]]]),
    ]
}

import HarmoniaPluginKit

/// Prometheus' actions and the JSON Schema of each input.
extension PrometheusAdapter {
    static let actionManifests: [ActionManifest] = [
        ActionManifest(
            name: "analyze_results",
            description: "LLM analysis of results; returns {result: the analysis, summary, generated_by}. "
                + "Non-string content is sent JSON-encoded.",
            inputSchema: [
                "type": "object",
                "anyOf": [["required": ["results"]], ["required": ["content"]]],
                "properties": ["results": [:], "content": [:], "analysis_type": ["type": "string"]],
            ]),
        ActionManifest(
            name: "create_plan", description: "Creates a plan; returns {result: the plan, plan_id}.",
            inputSchema: [
                "type": "object", "required": ["name"],
                "properties": ["name": ["type": "string"], "description": ["type": "string"]],
            ]),
        ActionManifest(
            name: "get_plan", description: "Reads a plan; returns {result: the plan}.",
            inputSchema: ["type": "object", "required": ["plan_id"], "properties": ["plan_id": ["type": "string"]]]),
        ActionManifest(
            name: "add_task", description: "Adds a task to a plan; returns {result: the task, task_id}.",
            inputSchema: [
                "type": "object", "required": ["plan_id", "name"],
                "properties": ["plan_id": ["type": "string"], "name": ["type": "string"], "description": ["type": "string"]],
            ]),
        ActionManifest(
            name: "analyze_plan", description: "LLM analysis of a plan (the input is sent as is); returns {result}.",
            inputSchema: ["type": "object"]),
        ActionManifest(
            name: "analyze_risks", description: "LLM risk analysis (the input is sent as is); returns {result}.",
            inputSchema: ["type": "object"]),
    ]
}

import HarmoniaPluginKit

/// Prometheus' actions and the JSON Schema of each input, aligned with the request models
/// of the real Prometheus (2025-09-27: `PlanCreate`, `TaskCreate`, `LLMAnalysisRequest`,
/// `LLMPlanAnalysis`, `LLMRiskAnalysisRequest`); `invoke` checks every input against it.
/// Fields those models do not know are refused: Prometheus would drop them silently.
extension PrometheusAdapter {
    static let metadata: PluginJSON = ["type": "object"]
    static let ids: PluginJSON = ["type": "array", "items": ["type": "string"]]
    static let dateTime: PluginJSON = ["type": "string", "format": "date-time", "minLength": 1]

    static let actionManifests: [ActionManifest] = [
        ActionManifest(
            name: "analyze_results",
            description: "LLM analysis of results (through Rhetor); returns {result: the analysis (main_points, insights, "
                + "recommendations), content_summary (the content's first 100 characters), analysis_type, generated_by, placeholder}. "
                + "Non-string content is sent JSON-encoded. Without an LLM Prometheus answers a fixed placeholder: placeholder is then true.",
            inputSchema: [
                "type": "object", "additionalProperties": false,
                "anyOf": [["required": ["results"]], ["required": ["content"]]],
                "properties": [
                    "results": [:], "content": [:], "analysis_type": ["type": "string", "minLength": 1], "context": ["type": "object"],
                    "max_tokens": ["type": "integer", "minimum": 1], "metadata": metadata,
                ],
            ]),
        ActionManifest(
            name: "create_plan", description: "Creates a plan; returns {result: the plan, plan_id}.",
            inputSchema: [
                "type": "object", "additionalProperties": false,
                "required": ["name", "description", "start_date", "end_date", "methodology"],
                "properties": [
                    "name": ["type": "string", "minLength": 1], "description": ["type": "string", "minLength": 1],
                    "start_date": dateTime, "end_date": dateTime,
                    "methodology": ["type": "string", "enum": ["agile", "waterfall", "hybrid", "kanban", "custom"]],
                    "requirements": ids, "metadata": metadata,
                ],
            ]),
        ActionManifest(
            name: "get_plan", description: "Reads a plan; returns {result: the plan (with its tasks), plan_id}.",
            inputSchema: [
                "type": "object", "required": ["plan_id"], "additionalProperties": false,
                "properties": ["plan_id": ["type": "string", "minLength": 1]],
            ]),
        ActionManifest(
            name: "add_task", description: "Adds a task to a plan; returns {result: the task, task_id, plan_id}.",
            inputSchema: [
                "type": "object", "additionalProperties": false,
                "required": ["plan_id", "name", "description", "priority", "estimated_effort"],
                "properties": [
                    "plan_id": ["type": "string", "minLength": 1], "name": ["type": "string", "minLength": 1],
                    "description": ["type": "string", "minLength": 1],
                    "priority": ["type": "string", "enum": ["low", "medium", "high", "critical"]],
                    "estimated_effort": ["type": "number", "minimum": 0],
                    "assigned_resources": ids, "dependencies": ids, "requirements": ids,
                    "start_date": dateTime, "end_date": dateTime, "metadata": metadata,
                ],
            ]),
        ActionManifest(
            name: "analyze_plan",
            description: "Analysis of a plan; returns {result: the analysis, generated_by, placeholder}. "
                + "Prometheus 2025-09-27 answers a fixed placeholder here (generated_by \"Placeholder LLM\").",
            inputSchema: [
                "type": "object", "required": ["plan_id", "analysis_type"], "additionalProperties": false,
                "properties": [
                    "plan_id": ["type": "string", "minLength": 1],
                    "analysis_type": [
                        "type": "string",
                        "enum": ["risk", "quality", "completeness", "dependencies", "resource_allocation", "timeline", "custom"],
                    ],
                    "context": ["type": "object"], "max_tokens": ["type": "integer", "minimum": 1], "metadata": metadata,
                ],
            ]),
        ActionManifest(
            name: "analyze_risks",
            description: "LLM risk analysis of a plan; returns {result: the analysis with its risks, generated_by, placeholder}.",
            inputSchema: [
                "type": "object", "required": ["plan_id"], "additionalProperties": false,
                "properties": [
                    "plan_id": ["type": "string", "minLength": 1], "include_history": ["type": "boolean"],
                    "risk_types": ["type": "array", "items": ["type": "string"]], "max_risks": ["type": "integer", "minimum": 1],
                    "include_mitigations": ["type": "boolean"], "metadata": metadata,
                ],
            ]),
    ]

    /// The input schema of `action`, if the adapter has that action.
    static func inputSchema(of action: String) -> PluginJSON? {
        actionManifests.first { $0.name == action }?.inputSchema
    }
}

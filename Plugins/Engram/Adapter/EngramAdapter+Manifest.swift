import HarmoniaPluginKit

/// Engram's actions and the JSON Schema of each input, aligned with the request models of
/// the real Engram's `/api/esr` routes (2025-09-27: `StoreThoughtRequest`,
/// `SearchSimilarRequest`, `BuildContextRequest`); `invoke` checks every input against it.
extension EngramAdapter {
    /// Engram's `ThoughtType` names (it upper-cases what it gets, and silently stores an
    /// unknown name as IDEA).
    static let thoughtType: PluginJSON = [
        "type": "string", "pattern": "^(?i)(idea|memory|fact|opinion|question|answer|plan|reflection|feeling|observation)$",
    ]

    static let actionManifests: [ActionManifest] = [
        ActionManifest(
            name: "store_memory",
            description: "Stores a memory under ci_id \"harmonia\"; returns {result: memory_id, memory_id}. "
                + "Non-string content is stored JSON-encoded; metadata goes into the memory's context with execution_id and task_id.",
            inputSchema: [
                "type": "object", "required": ["content"], "additionalProperties": false,
                "properties": [
                    "content": [:], "thought_type": thoughtType, "metadata": ["type": "object"],
                    "associations": ["type": "array", "items": ["type": "string"]],
                    "confidence": ["type": "number", "minimum": 0, "maximum": 1],
                ],
            ]),
        ActionManifest(
            name: "search_memory",
            description: "Searches memories (needs Engram's vector store: without it the answer is empty); returns {result: [memories], count}.",
            inputSchema: [
                "type": "object", "required": ["query"], "additionalProperties": false,
                "properties": [
                    "query": ["type": "string", "minLength": 1], "limit": ["type": "integer", "minimum": 1, "maximum": 100],
                    "thought_type": thoughtType, "min_confidence": ["type": "number", "minimum": 0, "maximum": 1],
                ],
            ]),
        ActionManifest(
            name: "recall_memory", description: "Reads one memory; returns {result: the memory, memory_id}.",
            inputSchema: [
                "type": "object", "required": ["memory_id"], "additionalProperties": false,
                "properties": ["memory_id": ["type": "string", "minLength": 1]],
            ]),
        ActionManifest(
            name: "get_context", description: "Gathers the memories around a topic; returns {result: the context, topic}.",
            inputSchema: [
                "type": "object", "required": ["topic"], "additionalProperties": false,
                "properties": [
                    "topic": ["type": "string", "minLength": 1], "depth": ["type": "integer", "minimum": 1, "maximum": 10],
                    "max_items": ["type": "integer", "minimum": 1, "maximum": 100],
                ],
            ]),
    ]

    /// The input schema of `action`, if the adapter has that action.
    static func inputSchema(of action: String) -> PluginJSON? {
        actionManifests.first { $0.name == action }?.inputSchema
    }
}

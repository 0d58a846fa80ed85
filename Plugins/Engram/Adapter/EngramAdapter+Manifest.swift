import HarmoniaPluginKit

/// Engram's actions and the JSON Schema of each input.
extension EngramAdapter {
    static let actionManifests: [ActionManifest] = [
        ActionManifest(
            name: "store_memory", description: "Stores a memory; returns {result: memory_id}.",
            inputSchema: [
                "type": "object", "required": ["content"],
                "properties": ["content": [:], "thought_type": ["type": "string"], "metadata": ["type": "object"]],
            ]),
        ActionManifest(
            name: "search_memory", description: "Searches memories; returns {result: [memories], count}.",
            inputSchema: [
                "type": "object", "required": ["query"],
                "properties": ["query": ["type": "string"], "limit": ["type": "integer", "minimum": 1]],
            ]),
        ActionManifest(
            name: "recall_memory", description: "Reads one memory; returns {result: the memory}.",
            inputSchema: ["type": "object", "required": ["memory_id"], "properties": ["memory_id": ["type": "string"]]]),
        ActionManifest(
            name: "get_context", description: "Gathers the memories around a topic; returns {result: the context}.",
            inputSchema: [
                "type": "object", "required": ["topic"],
                "properties": ["topic": ["type": "string"], "depth": ["type": "integer", "minimum": 1]],
            ]),
    ]
}

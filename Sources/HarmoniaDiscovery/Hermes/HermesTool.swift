import HarmoniaCore

/// One MCP tool as Hermes' tool registry (`POST /api/mcp/v2/tools`) stores it: Tekton's
/// `ToolSpec` — `id`, `name`, `description`, `schema` (the input JSON Schema), `tags`,
/// `version`, `endpoint` (where a caller POSTs the tool's arguments) and `metadata`.
///
/// The id is stable (`harmonia_<Tool>`, as the name): the real Hermes keeps an id it is
/// given and overwrites the entry when it is posted again, so posting again after Hermes
/// lost its registry, or twice, never leaves duplicates.
public struct HermesTool: Sendable, Hashable {
    public var id: String
    public var name: String
    public var description: String
    public var schema: JSONValue
    public var endpoint: String
    public var tags: [String]
    public var version: String
    public var metadata: JSONValue

    public init(
        id: String, name: String, description: String, schema: JSONValue, endpoint: String, tags: [String] = [],
        version: String, metadata: JSONValue = .emptyObject
    ) {
        self.id = id
        self.name = name
        self.description = description
        self.schema = schema
        self.endpoint = endpoint
        self.tags = tags
        self.version = version
        self.metadata = metadata
    }

    var json: JSONValue {
        .object([
            "id": .string(id), "name": .string(name), "description": .string(description), "schema": schema,
            "endpoint": .string(endpoint), "tags": .array(tags.map { .string($0) }), "version": .string(version),
            "metadata": metadata,
        ])
    }
}

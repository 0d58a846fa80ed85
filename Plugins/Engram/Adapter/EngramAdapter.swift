import HarmoniaPluginKit

/// The Engram adapter (memory; Tekton port 8000).
///
/// Engram's working API is the ESR one under `/api/esr`; its older routes are not used.
public struct EngramAdapter: HarmoniaAdapter {
    public static let manifest = PluginManifest(
        name: "engram", version: "1.0.0", component: "engram",
        description: "Engram: store, search and recall memories; topic context",
        actions: actionManifests)

    /// Tekton's port for Engram.
    static let defaultPort = 8000
    /// The CI identity memories are stored under.
    static let ciID = "harmonia"
    /// The `thought_type` used when the input names none.
    static let defaultThoughtType = "MEMORY"

    let service: TektonService

    public init(configuration: AdapterConfiguration) throws {
        service = try TektonService(configuration: configuration, defaultPort: Self.defaultPort)
    }

    public func invoke(_ call: AdapterCall) async throws -> PluginJSON {
        if let schema = Self.inputSchema(of: call.action) { try call.validateInput(against: schema) }
        switch call.action {
        case "store_memory": return try await storeMemory(call)
        case "search_memory": return try await searchMemory(call)
        case "recall_memory": return try await recallMemory(call)
        case "get_context": return try await getContext(call)
        default: throw AdapterError.unknownAction(call.action, component: call.component)
        }
    }

    /// `store_memory {content, thought_type?, metadata?}` → `POST /api/esr/store
    /// {"content", "thought_type", "context", "ci_id": "harmonia"}`. The context carries the
    /// metadata plus the execution and task that stored it.
    func storeMemory(_ call: AdapterCall) async throws -> PluginJSON {
        guard let content = call.input["content"], !content.isNull else {
            throw AdapterError.invalidInput("engram.store_memory needs `content`")
        }
        var context = call.input["metadata"]?.objectValue ?? [:]
        context["execution_id"] = .string(call.executionID)
        context["task_id"] = .string(call.taskID)
        var body = call.passThrough(["associations", "confidence"])
        body["content"] = .string(content.stringValue ?? content.jsonString())
        body["thought_type"] = .string(try call.optionalString("thought_type")?.uppercased() ?? Self.defaultThoughtType)
        body["context"] = .object(context)
        body["ci_id"] = .string(Self.ciID)
        let answer = try await service.post("/api/esr/store", .object(body), call: call)
        guard let memoryID = answer["memory_id"] ?? answer["id"], !memoryID.isNull else {
            throw AdapterError(code: "invalid_response", message: "engram store_memory returned no `memory_id`", retryable: false)
        }
        return ["result": memoryID, "memory_id": memoryID]
    }

    /// `search_memory {query, limit?}` → `POST /api/esr/search`.
    func searchMemory(_ call: AdapterCall) async throws -> PluginJSON {
        var body = call.passThrough(["limit", "thought_type", "min_confidence"])
        body["query"] = .string(try call.requiredString("query"))
        let answer = try await service.post("/api/esr/search", .object(body), call: call)
        let results = answer["results"]?.arrayValue ?? answer["memories"]?.arrayValue ?? answer.arrayValue ?? []
        return ["result": .array(results), "count": .integer(answer["count"]?.intValue ?? results.count)]
    }

    /// `recall_memory {memory_id}` → `GET /api/esr/recall/{id}`.
    func recallMemory(_ call: AdapterCall) async throws -> PluginJSON {
        let memoryID = try call.requiredString("memory_id")
        let memory = try await service.get("/api/esr/recall/\(TektonService.segment(memoryID))", call: call)
        return ["result": memory["memory"] ?? memory, "memory_id": .string(memoryID)]
    }

    /// `get_context {topic, depth?}` → `POST /api/esr/context`.
    func getContext(_ call: AdapterCall) async throws -> PluginJSON {
        var body = call.passThrough(["depth", "max_items"])
        body["topic"] = .string(try call.requiredString("topic"))
        let answer = try await service.post("/api/esr/context", .object(body), call: call)
        return ["result": answer["context"] ?? answer, "topic": body["topic"]!]
    }
}

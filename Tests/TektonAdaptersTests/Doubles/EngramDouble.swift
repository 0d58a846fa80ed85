import HarmoniaPluginKit
import Hummingbird
import Synchronization

/// Engram as observed on the wire (public Tekton source of 2025-09-27): the working memory
/// API under `/api/esr`, answers with `"status": "success"`, a recalled memory under
/// `memory`, and FastAPI's 422 field list past its limits (`limit` ≤ 100, `depth` ≤ 10,
/// `max_items` ≤ 100). Its older routes are not served (404 `{"detail": "Not Found"}`).
final class EngramDouble: TektonDouble {
    private struct State {
        var memories: [(id: String, memory: PluginJSON)] = []
        var nextID = 1
    }

    let calls = CallLog()
    private let state = Mutex(State())

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/health") { _, _ in Response.json(["status": "healthy", "component": "engram"]) }
        router.post("/api/esr/store") { request, _ in
            var request = request
            let body = try await request.json()
            guard body["content"]?.stringValue != nil, body["ci_id"]?.stringValue != nil else {
                return Response.json(["detail": "content and ci_id are required"], status: .badRequest)
            }
            let id = self.state.withLock { state -> String in
                let id = "mem-\(state.nextID)"
                state.nextID += 1
                var memory = body.objectValue ?? [:]
                memory["memory_id"] = .string(id)
                state.memories.append((id, .object(memory)))
                return id
            }
            return Response.json(["status": "success", "memory_id": .string(id), "timestamp": "2025-09-27T12:00:00"])
        }
        router.post("/api/esr/search") { request, _ in
            var request = request
            let body = try await request.json()
            if let refused = Self.overLimit(body, "limit", 100) { return refused }
            let query = body["query"]?.stringValue?.lowercased() ?? ""
            let limit = body["limit"]?.intValue ?? 10
            let found = self.matching(query).prefix(limit)
            return Response.json(["status": "success", "results": .array(Array(found)), "count": .integer(found.count)])
        }
        router.get("/api/esr/recall/:id") { _, context in
            let id = context.pathParameter("id")
            guard let memory = self.state.withLock({ $0.memories.first { $0.id == id }?.memory }) else {
                return Response.json(["detail": .string("Memory \(id) not found")], status: .notFound)
            }
            return Response.json(["status": "success", "memory": memory])
        }
        router.post("/api/esr/context") { request, _ in
            var request = request
            let body = try await request.json()
            if let refused = Self.overLimit(body, "depth", 10) ?? Self.overLimit(body, "max_items", 100) { return refused }
            let topic = body["topic"]?.stringValue ?? ""
            return Response.json([
                "status": "success", "topic": .string(topic), "depth": body["depth"] ?? 3,
                "context": ["memories": .array(self.matching(topic.lowercased()))],
            ])
        }
    }

    /// FastAPI's 422 for a field over its `le` bound.
    static func overLimit(_ body: PluginJSON, _ field: String, _ maximum: Int) -> Response? {
        guard let value = body[field]?.intValue, value > maximum else { return nil }
        return .json(
            ["detail": [["type": "less_than_equal", "loc": ["body", .string(field)], "msg": .string("Input should be less than or equal to \(maximum)")]]],
            status: .unprocessableContent)
    }

    private func matching(_ query: String) -> [PluginJSON] {
        state.withLock { state in
            state.memories.map(\.memory).filter { $0["content"]?.stringValue?.lowercased().contains(query) == true }
        }
    }
}

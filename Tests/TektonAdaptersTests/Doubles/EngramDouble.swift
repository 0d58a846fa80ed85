import HarmoniaPluginKit
import Hummingbird
import Synchronization

/// Engram as tekton.md describes it: the working memory API under `/api/esr`. Its older
/// routes are not served (404 `{"detail": "Not Found"}`).
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
            return Response.json(["status": "stored", "memory_id": .string(id)])
        }
        router.post("/api/esr/search") { request, _ in
            var request = request
            let body = try await request.json()
            let query = body["query"]?.stringValue?.lowercased() ?? ""
            let limit = body["limit"]?.intValue ?? 10
            let found = self.matching(query).prefix(limit)
            return Response.json(["query": .string(query), "results": .array(Array(found)), "count": .integer(found.count)])
        }
        router.get("/api/esr/recall/:id") { _, context in
            let id = context.pathParameter("id")
            guard let memory = self.state.withLock({ $0.memories.first { $0.id == id }?.memory }) else {
                return Response.json(["detail": .string("Memory \(id) not found")], status: .notFound)
            }
            return Response.json(memory)
        }
        router.post("/api/esr/context") { request, _ in
            var request = request
            let body = try await request.json()
            let topic = body["topic"]?.stringValue ?? ""
            return Response.json(["topic": .string(topic), "context": ["memories": .array(self.matching(topic.lowercased()))]])
        }
    }

    private func matching(_ query: String) -> [PluginJSON] {
        state.withLock { state in
            state.memories.map(\.memory).filter { $0["content"]?.stringValue?.lowercased().contains(query) == true }
        }
    }
}

import HarmoniaPluginKit
import Hummingbird
import Synchronization

/// Prometheus as tekton.md describes it: every answer in `{"status", "message", "data"}`,
/// and the plan routes served only with their trailing slash (FastAPI redirects the
/// slash-less spelling with a 307).
final class PrometheusDouble: TektonDouble {
    private struct State {
        var plans: [String: PluginJSON] = [:]
        var nextID = 1
        var analysisError: String?
    }

    let calls = CallLog()
    private let state = Mutex(State())

    /// Makes `/api/v1/llm/analyze` answer HTTP 200 with `{"status": "error", "message": message}`.
    func failAnalysis(with message: String?) {
        state.withLock { $0.analysisError = message }
    }

    /// The `content` of every analysis request received.
    var analyzedContents: [PluginJSON] {
        calls.requests("POST /api/v1/llm/analyze").map { $0.body["content"] ?? .null }
    }

    static func envelope(_ data: PluginJSON, message: String = "ok") -> Response {
        .json(["status": "success", "message": .string(message), "data": data])
    }

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/health") { _, _ in Response.json(["status": "healthy", "component": "prometheus"]) }
        router.post("/api/v1/llm/analyze") { request, _ in
            var request = request
            let body = try await request.json()
            if let error = self.state.withLock({ $0.analysisError }) {
                return Response.json(["status": "error", "message": .string(error), "data": nil])
            }
            guard let content = body["content"]?.stringValue else {
                return Response.json(["detail": [["loc": ["body", "content"], "msg": "str type expected"]]], status: .unprocessableContent)
            }
            return Self.envelope(
                [
                    "results": ["analysis": .string("analyzed \(content.count) characters"), "content": .string(content)],
                    "summary": .string("Summary of: \(content)"),
                    "generated_by": "prometheus-double",
                ], message: "Analysis complete")
        }
        router.post("/api/v1/plans") { request, context in
            // Hummingbird matches with or without the slash; FastAPI only serves `/plans/`.
            guard request.uri.path.hasSuffix("/") else { return Self.redirectToSlash(request) }
            var request = request
            var plan = try await request.json().objectValue ?? [:]
            let id = self.state.withLock { state -> String in
                let id = "plan-\(state.nextID)"
                state.nextID += 1
                plan["plan_id"] = .string(id)
                plan["tasks"] = [:]
                state.plans[id] = .object(plan)
                return id
            }
            return Self.envelope(.object(plan), message: "Plan \(id) created")
        }
        router.get("/api/v1/plans/:id") { _, context in
            let id = context.pathParameter("id")
            guard let plan = self.state.withLock({ $0.plans[id] }) else {
                return Response.json(["detail": .string("Plan \(id) not found")], status: .notFound)
            }
            return Self.envelope(plan)
        }
        router.post("/api/v1/plans/:id/tasks") { request, context in
            guard request.uri.path.hasSuffix("/") else { return Self.redirectToSlash(request) }
            let id = context.pathParameter("id")
            var request = request
            var task = try await request.json().objectValue ?? [:]
            let added: Bool = self.state.withLock { state in
                guard var plan = state.plans[id]?.objectValue else { return false }
                let taskID = "task-\(state.nextID)"
                state.nextID += 1
                task["task_id"] = .string(taskID)
                var tasks = plan["tasks"]?.objectValue ?? [:]
                tasks[taskID] = .object(task)
                plan["tasks"] = .object(tasks)
                state.plans[id] = .object(plan)
                return true
            }
            guard added else { return Response.json(["detail": .string("Plan \(id) not found")], status: .notFound) }
            return Self.envelope(.object(task), message: "Task added")
        }
        router.post("/api/v1/llm/plan-analysis") { request, _ in
            var request = request
            let body = try await request.json()
            return Self.envelope(["analysis": "the plan looks feasible", "plan_id": body["plan_id"] ?? nil])
        }
        router.post("/api/v1/llm/risk-analysis") { request, _ in
            var request = request
            let body = try await request.json()
            return Self.envelope(["risks": [["risk": "scope creep", "severity": "medium"]], "plan_id": body["plan_id"] ?? nil])
        }
    }

    /// FastAPI's `redirect_slashes`: 307 to the same path with a trailing slash.
    static func redirectToSlash(_ request: Request) -> Response {
        Response(status: .temporaryRedirect, headers: [.location: request.uri.path + "/"])
    }
}

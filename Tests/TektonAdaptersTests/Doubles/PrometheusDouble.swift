import HarmoniaPluginKit
import Hummingbird
import Synchronization

/// Prometheus as observed on the wire (public Tekton source of 2025-09-27): every answer in
/// `{"status", "message", "data"}`, errors as `{"status": "error", "message", "error_code"}`,
/// the plan routes served only with their trailing slash (FastAPI redirects the slash-less
/// spelling with a 307), and its request models' required fields refused with FastAPI's 422
/// field list (`PlanCreate`, `TaskCreate`, `LLMAnalysisRequest`, `LLMPlanAnalysis`).
///
/// The analysis routes answer as the real ones do without an LLM: `llm/analyze` and
/// `llm/risk-analysis` fall back to a fixed text ("Fallback Generator") when Rhetor is not
/// reachable (`rhetorReachable`), `llm/plan-analysis` always answers a placeholder.
final class PrometheusDouble: TektonDouble {
    private struct State {
        var plans: [String: PluginJSON] = [:]
        var nextID = 1
        var rhetorReachable = true
    }

    let calls = CallLog()
    private let state = Mutex(State())

    /// With false, the LLM routes answer Prometheus' fallback placeholder (as a success).
    func rhetorReachable(_ reachable: Bool) {
        state.withLock { $0.rhetorReachable = reachable }
    }

    /// The `content` of every analysis request received.
    var analyzedContents: [PluginJSON] {
        calls.requests("POST /api/v1/llm/analyze").map { $0.body["content"] ?? .null }
    }

    static func envelope(_ data: PluginJSON, message: String = "ok") -> Response {
        .json(["status": "success", "message": .string(message), "data": data])
    }

    /// Prometheus' HTTPException answer.
    static func error(_ message: String, status: HTTPResponse.Status) -> Response {
        .json(["status": "error", "message": .string(message), "error_code": .string("HTTP_\(status.code)")], status: status)
    }

    /// FastAPI's 422 for the missing fields among `required`, or nil when all are there.
    static func missing(_ required: [String], in body: PluginJSON) -> Response? {
        let absent = required.filter { body[$0] == nil || body[$0] == .null }
        guard !absent.isEmpty else { return nil }
        let errors: [PluginJSON] = absent.map { ["type": "missing", "loc": ["body", .string($0)], "msg": "Field required", "input": body] }
        return .json(["detail": .array(errors)], status: .unprocessableContent)
    }

    static func valueError(_ field: String, _ message: String) -> Response {
        .json(["detail": [["type": "value_error", "loc": ["body", .string(field)], "msg": .string("Value error, \(message)")]]], status: .unprocessableContent)
    }

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/health") { _, _ in Response.json(["status": "healthy", "component": "prometheus"]) }
        router.post("/api/v1/llm/analyze") { request, _ in
            var request = request
            let body = try await request.json()
            if let refused = Self.missing(["content", "analysis_type"], in: body) { return refused }
            let content = body["content"]?.stringValue ?? ""
            let summary = content.count > 100 ? String(content.prefix(100)) + "..." : content
            let reachable = self.state.withLock { $0.rhetorReachable }
            let results: PluginJSON =
                reachable
                ? ["main_points": [.string("analyzed \(content.count) characters: \(content)")], "insights": [], "recommendations": []]
                : ["main_points": ["Point 1: This is the first main point extracted from the content."], "insights": [], "recommendations": []]
            return Self.envelope(
                [
                    "content_summary": .string(summary), "analysis_type": body["analysis_type"] ?? nil,
                    "timestamp": reachable ? "2025-09-27T12:00:00" : nil, "generated_by": reachable ? "rhetor" : "Fallback Generator",
                    "results": results,
                ],
                message: reachable ? "Analysis completed successfully" : "Analysis completed using fallback method")
        }
        router.post("/api/v1/plans") { request, context in
            // Hummingbird matches with or without the slash; FastAPI only serves `/plans/`.
            guard request.uri.path.hasSuffix("/") else { return Self.redirectToSlash(request) }
            var request = request
            let body = try await request.json()
            if let refused = Self.missing(["name", "description", "start_date", "end_date", "methodology"], in: body) { return refused }
            if let start = body["start_date"]?.stringValue, let end = body["end_date"]?.stringValue, end < start {
                return Self.valueError("end_date", "end_date must be after start_date")
            }
            var plan = body.objectValue ?? [:]
            let id = self.state.withLock { state -> String in
                let id = "plan-\(state.nextID)"
                state.nextID += 1
                plan["plan_id"] = .string(id)
                plan["tasks"] = [:]
                plan["milestones"] = []
                plan["version"] = 1
                state.plans[id] = .object(plan)
                return id
            }
            return Self.envelope(.object(plan), message: "Plan \(id) created successfully")
        }
        router.get("/api/v1/plans/:id") { _, context in
            let id = context.pathParameter("id")
            guard let plan = self.state.withLock({ $0.plans[id] }) else { return Self.error("Plan \(id) not found", status: .notFound) }
            return Self.envelope(plan)
        }
        router.post("/api/v1/plans/:id/tasks") { request, context in
            guard request.uri.path.hasSuffix("/") else { return Self.redirectToSlash(request) }
            let id = context.pathParameter("id")
            var request = request
            let body = try await request.json()
            if let refused = Self.missing(["name", "description", "priority", "estimated_effort"], in: body) { return refused }
            var task = body.objectValue ?? [:]
            let added: Bool = self.state.withLock { state in
                guard var plan = state.plans[id]?.objectValue else { return false }
                let taskID = "task-\(state.nextID)"
                state.nextID += 1
                task["task_id"] = .string(taskID)
                task["status"] = "not_started"
                var tasks = plan["tasks"]?.objectValue ?? [:]
                tasks[taskID] = .object(task)
                plan["tasks"] = .object(tasks)
                state.plans[id] = .object(plan)
                return true
            }
            guard added else { return Self.error("Plan \(id) not found", status: .notFound) }
            return Self.envelope(.object(task), message: "Task created successfully")
        }
        router.post("/api/v1/llm/plan-analysis") { request, _ in
            var request = request
            let body = try await request.json()
            if let refused = Self.missing(["plan_id", "analysis_type"], in: body) { return refused }
            let id = body["plan_id"]?.stringValue ?? ""
            guard self.state.withLock({ $0.plans[id] != nil }) else { return Self.error("Plan \(id) not found", status: .notFound) }
            return Self.envelope(
                ["plan_id": .string(id), "analysis_type": body["analysis_type"] ?? nil, "timestamp": nil, "generated_by": "Placeholder LLM", "results": []],
                message: "Plan analysis completed successfully")
        }
        router.post("/api/v1/llm/risk-analysis") { request, _ in
            var request = request
            let body = try await request.json()
            if let refused = Self.missing(["plan_id"], in: body) { return refused }
            let id = body["plan_id"]?.stringValue ?? ""
            guard let plan = self.state.withLock({ $0.plans[id] }) else { return Self.error("Plan \(id) not found", status: .notFound) }
            let reachable = self.state.withLock { $0.rhetorReachable }
            return Self.envelope(
                [
                    "plan_id": .string(id), "plan_name": plan["name"] ?? nil, "generated_by": reachable ? "rhetor/double-model" : "Fallback Generator",
                    "risks": [["type": "schedule", "title": "Schedule risk", "severity": "medium"]],
                ], message: "Risk analysis completed successfully")
        }
    }

    /// FastAPI's `redirect_slashes`: 307 to the same path with a trailing slash.
    static func redirectToSlash(_ request: Request) -> Response {
        Response(status: .temporaryRedirect, headers: [.location: request.uri.path + "/"])
    }
}

import HarmoniaPluginKit

/// The Prometheus adapter (planning and analysis; Tekton port 8006).
///
/// Prometheus wraps every answer in `{"status", "message", "data"}`, and two of its routes
/// are only served with a trailing slash (`/api/v1/plans/`, `/api/v1/plans/{id}/tasks/`).
public struct PrometheusAdapter: HarmoniaAdapter {
    public static let manifest = PluginManifest(
        name: "prometheus", version: "1.0.0", component: "prometheus",
        description: "Prometheus: plans, tasks, and LLM analysis of results, plans and risks",
        actions: actionManifests)

    /// Tekton's port for Prometheus.
    static let defaultPort = 8006
    /// The `analysis_type` sent when the input names none.
    static let defaultAnalysisType = "general"

    let service: TektonService

    public init(configuration: AdapterConfiguration) throws {
        service = try TektonService(configuration: configuration, defaultPort: Self.defaultPort)
    }

    /// What Prometheus writes in `generated_by` when no LLM answered: a fixed text, not an analysis.
    static let placeholderGenerators: Set<String> = ["Fallback Generator", "Placeholder LLM"]

    public func invoke(_ call: AdapterCall) async throws -> PluginJSON {
        if let schema = Self.inputSchema(of: call.action) { try call.validateInput(against: schema) }
        switch call.action {
        case "analyze_results": return try await analyzeResults(call)
        case "create_plan": return try await createPlan(call)
        case "get_plan": return try await getPlan(call)
        case "add_task": return try await addTask(call)
        case "analyze_plan": return try await analysis("/api/v1/llm/plan-analysis", call)
        case "analyze_risks": return try await analysis("/api/v1/llm/risk-analysis", call)
        default: throw AdapterError.unknownAction(call.action, component: call.component)
        }
    }

    /// `analyze_results {results|content, analysis_type?, ...}` → `POST /api/v1/llm/analyze`.
    /// Prometheus takes the content as a string, so anything else is sent JSON-encoded.
    func analyzeResults(_ call: AdapterCall) async throws -> PluginJSON {
        guard let value = call.input["content"] ?? call.input["results"], !value.isNull else {
            throw AdapterError.invalidInput("prometheus.analyze_results needs `results` or `content`")
        }
        var body = call.passThrough(["context", "max_tokens", "metadata"])
        body["content"] = .string(value.stringValue ?? value.jsonString())
        body["analysis_type"] = .string(try call.optionalString("analysis_type") ?? Self.defaultAnalysisType)
        let data = try await unwrap(service.post("/api/v1/llm/analyze", .object(body), call: call), call: call)
        return [
            "result": data["results"] ?? .null,
            "content_summary": data["content_summary"] ?? .null,
            "analysis_type": data["analysis_type"] ?? body["analysis_type"]!,
            "generated_by": data["generated_by"] ?? .null,
            "placeholder": .bool(isPlaceholder(data, call: call)),
        ]
    }

    /// `create_plan {name, description, start_date, end_date, methodology, ...}` → `POST /api/v1/plans/` (trailing slash).
    func createPlan(_ call: AdapterCall) async throws -> PluginJSON {
        let plan = try await unwrap(service.post("/api/v1/plans/", call.input, call: call), call: call)
        return withID(["result": plan], "plan_id", from: plan, keys: ["plan_id", "id"])
    }

    /// `get_plan {plan_id}` → `GET /api/v1/plans/{id}`.
    func getPlan(_ call: AdapterCall) async throws -> PluginJSON {
        let planID = try call.requiredString("plan_id")
        let plan = try await unwrap(service.get("/api/v1/plans/\(TektonService.segment(planID))", call: call), call: call)
        return ["result": plan, "plan_id": .string(planID)]
    }

    /// `add_task {plan_id, name, description, priority, estimated_effort, ...}` →
    /// `POST /api/v1/plans/{id}/tasks/` (trailing slash).
    func addTask(_ call: AdapterCall) async throws -> PluginJSON {
        let planID = try call.requiredString("plan_id")
        var body = call.input.objectValue ?? [:]
        body["plan_id"] = nil
        let task = try await unwrap(
            service.post("/api/v1/plans/\(TektonService.segment(planID))/tasks/", .object(body), call: call), call: call)
        return withID(["result": task, "plan_id": .string(planID)], "task_id", from: task, keys: ["task_id", "id"])
    }

    /// `analyze_plan` / `analyze_risks`: the (checked) input goes to the route as is.
    func analysis(_ path: String, _ call: AdapterCall) async throws -> PluginJSON {
        let data = try await unwrap(service.post(path, call.input, call: call), call: call)
        return ["result": data, "generated_by": data["generated_by"] ?? .null, "placeholder": .bool(isPlaceholder(data, call: call))]
    }

    /// Whether Prometheus answered its fixed placeholder instead of an LLM's analysis (it does
    /// so, as a success, whenever Rhetor is not reachable): passed on, but flagged and logged.
    private func isPlaceholder(_ data: PluginJSON, call: AdapterCall) -> Bool {
        guard let generator = data["generated_by"]?.stringValue, Self.placeholderGenerators.contains(generator) else { return false }
        call.host.log(.warning, "prometheus \(call.action): answered by \"\(generator)\", a placeholder, not an LLM analysis")
        return true
    }

    private func withID(_ output: PluginJSON, _ name: String, from value: PluginJSON, keys: [String]) -> PluginJSON {
        var object = output.objectValue ?? [:]
        for key in keys {
            if let id = value[key], id.stringValue != nil || id.intValue != nil {
                object[name] = id
                break
            }
        }
        return .object(object)
    }
}

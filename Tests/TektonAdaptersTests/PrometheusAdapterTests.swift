import HarmoniaPluginKit
import PrometheusAdapter
import Testing

/// The Prometheus adapter against its double: envelope, trailing slashes, LLM routes.
@Suite(.timeLimit(.minutes(1)))
struct PrometheusAdapterTests {
    let host = LoopbackHost()

    func adapter(_ url: String) throws -> PrometheusAdapter {
        try PrometheusAdapter(configuration: AdapterConfiguration(component: "prometheus", endpoint: url))
    }

    static let plan: PluginJSON = [
        "name": "release", "description": "ship it", "start_date": "2025-10-01T00:00:00", "end_date": "2025-10-31T00:00:00",
        "methodology": "agile",
    ]

    @Test func analyzeResultsUnwrapsTheEnvelope() async throws {
        let prometheus = PrometheusDouble()
        try await prometheus.serve { url in
            let output = try await adapter(url).invoke(
                makeCall("prometheus", "analyze_results", ["results": "Hello World", "analysis_type": "summary"], host: host))
            #expect(output["result"]?["main_points"]?[0] == "analyzed 11 characters: Hello World")
            // The real key is content_summary (the content's first 100 characters); there is no `summary`.
            #expect(output["content_summary"] == "Hello World")
            #expect(output["summary"] == nil)
            #expect(output["generated_by"] == "rhetor")
            #expect(output["placeholder"] == false)
            #expect(prometheus.calls.requests("POST /api/v1/llm/analyze").first?.body == ["content": "Hello World", "analysis_type": "summary"])
        }
    }

    @Test func nonStringContentIsSentJSONEncoded() async throws {
        let prometheus = PrometheusDouble()
        try await prometheus.serve { url in
            _ = try await adapter(url).invoke(makeCall("prometheus", "analyze_results", ["content": ["passed": 3, "failed": 0]], host: host))
            #expect(prometheus.analyzedContents == [#"{"failed":0,"passed":3}"#])
            #expect(prometheus.calls.requests("POST /api/v1/llm/analyze").first?.body["analysis_type"] == "general")
        }
    }

    @Test func prometheusPlaceholderWithoutAnLLMIsFlagged() async throws {
        // Without Rhetor, Prometheus answers a fixed text as a success: passed on, flagged.
        let prometheus = PrometheusDouble()
        prometheus.rhetorReachable(false)
        try await prometheus.serve { url in
            let output = try await adapter(url).invoke(makeCall("prometheus", "analyze_results", ["results": "x"], host: host))
            #expect(output["generated_by"] == "Fallback Generator")
            #expect(output["placeholder"] == true)
            #expect(host.logs.contains { $0.contains("placeholder") })
        }
    }

    @Test func plansAndTasksUseTheTrailingSlashRoutes() async throws {
        let prometheus = PrometheusDouble()
        try await prometheus.serve { url in
            let adapter = try adapter(url)
            let created = try await adapter.invoke(makeCall("prometheus", "create_plan", Self.plan, host: host))
            let planID = try #require(created["plan_id"]?.stringValue)
            #expect(created["result"]?["name"] == "release")

            let taskInput: PluginJSON = [
                "plan_id": .string(planID), "name": "write notes", "description": "release notes", "priority": "high", "estimated_effort": 2,
            ]
            let task = try await adapter.invoke(makeCall("prometheus", "add_task", taskInput, host: host))
            #expect(task["task_id"] != nil)
            #expect(
                prometheus.calls.requests("POST /api/v1/plans/\(planID)/tasks/").first?.body
                    == ["name": "write notes", "description": "release notes", "priority": "high", "estimated_effort": 2])

            let plan = try await adapter.invoke(makeCall("prometheus", "get_plan", ["plan_id": .string(planID)], host: host))
            #expect(plan["result"]?["tasks"]?.objectValue?.count == 1)

            // Exactly the slash routes; never the spelling FastAPI would redirect.
            #expect(prometheus.calls.count("POST /api/v1/plans/") == 1)
            #expect(prometheus.calls.count("POST /api/v1/plans") == 0)
            #expect(prometheus.calls.count("POST /api/v1/plans/\(planID)/tasks") == 0)

            let plan404 = await adapterError { try await adapter.invoke(makeCall("prometheus", "get_plan", ["plan_id": "nope"], host: host)) }
            #expect(plan404?.code == "not_found")
            #expect(plan404?.message.contains("Plan nope not found") == true)
            #expect(plan404?.retryable == false)
        }
    }

    @Test func planAndRiskAnalysis() async throws {
        let prometheus = PrometheusDouble()
        try await prometheus.serve { url in
            let adapter = try adapter(url)
            let planID = try #require(try await adapter.invoke(makeCall("prometheus", "create_plan", Self.plan, host: host))["plan_id"])
            let plan = try await adapter.invoke(makeCall("prometheus", "analyze_plan", ["plan_id": planID, "analysis_type": "risk"], host: host))
            #expect(plan["generated_by"] == "Placeholder LLM")
            #expect(plan["placeholder"] == true)
            let risks = try await adapter.invoke(makeCall("prometheus", "analyze_risks", ["plan_id": planID], host: host))
            #expect(risks["result"]?["risks"]?.arrayValue?.count == 1)
            #expect(risks["placeholder"] == false)
        }
    }

    @Test func a422KeepsTheComponentsFieldList() async throws {
        // A rule the schema cannot state (end after start) reaches Prometheus, whose 422 names the field.
        let prometheus = PrometheusDouble()
        try await prometheus.serve { url in
            var plan = Self.plan.objectValue ?? [:]
            plan["end_date"] = "2025-09-01T00:00:00"
            let error = await adapterError { try await adapter(url).invoke(makeCall("prometheus", "create_plan", .object(plan), host: host)) }
            #expect(error?.code == "unprocessable_request")
            #expect(error?.message.contains("end_date: Value error, end_date must be after start_date") == true, "\(error?.message ?? "")")
            #expect(error?.details?["fields"]?[0]?["field"] == "end_date")
        }
    }

    @Test func inputsTheRealPrometheusRefusesAreRefusedBeforeAnyRequest() async throws {
        let prometheus = PrometheusDouble()
        try await prometheus.serve { url in
            let adapter = try adapter(url)
            let refused: [(String, PluginJSON, String)] = [
                ("create_plan", ["name": "release"], "input.description is required"),
                ("create_plan", ["name": "r", "description": "d", "start_date": "2025-10-01", "end_date": "2025-10-02", "methodology": "scrum"], "input.methodology must be one of"),
                ("add_task", ["plan_id": "p", "name": "t"], "input.priority is required"),
                ("add_task", ["plan_id": "p", "name": "t", "description": "d", "priority": "high", "estimated_effort": -1], "input.estimated_effort must be at least 0"),
                ("analyze_plan", [:], "input.plan_id is required"),
                ("analyze_plan", ["plan_id": "p", "analysis_type": "vibes"], "input.analysis_type must be one of"),
                ("analyze_risks", ["plan_id": "p", "max_risks": 0], "input.max_risks must be at least 1"),
                ("analyze_results", ["results": "x", "summary": true], "input.summary is not accepted"),
            ]
            for (action, input, problem) in refused {
                let error = await adapterError { try await adapter.invoke(makeCall("prometheus", action, input, host: host)) }
                #expect(error?.code == "invalid_input", "\(action) \(input)")
                #expect(error?.message.contains(problem) == true, "\(error?.message ?? "no error")")
            }
            #expect(prometheus.calls.routes.filter { $0 != "GET /health" }.isEmpty)
        }
    }

    @Test func aRouteTheBuildDoesNotServeIsRouteUnavailable() async throws {
        try await RhetorDouble().serve { url in
            let error = await adapterError {
                try await adapter(url).invoke(makeCall("prometheus", "analyze_results", ["results": "x"], host: host))
            }
            #expect(error?.code == "route_unavailable")
            #expect(error?.retryable == false)
        }
    }
}

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

    @Test func analyzeResultsUnwrapsTheEnvelope() async throws {
        let prometheus = PrometheusDouble()
        try await prometheus.serve { url in
            let output = try await adapter(url).invoke(
                makeCall("prometheus", "analyze_results", ["results": "Hello World", "analysis_type": "summary"], host: host))
            #expect(output["result"]?["content"] == "Hello World")
            #expect(output["summary"] == "Summary of: Hello World")
            #expect(output["generated_by"] == "prometheus-double")
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

    @Test func anEnvelopeErrorWithHTTP200IsAFailure() async throws {
        let prometheus = PrometheusDouble()
        prometheus.failAnalysis(with: "LLM unavailable")
        try await prometheus.serve { url in
            let error = await adapterError {
                try await adapter(url).invoke(makeCall("prometheus", "analyze_results", ["results": "x"], host: host))
            }
            #expect(error?.code == "component_error")
            #expect(error?.retryable == false)
            #expect(error?.message.contains("LLM unavailable") == true)
        }
    }

    @Test func plansAndTasksUseTheTrailingSlashRoutes() async throws {
        let prometheus = PrometheusDouble()
        try await prometheus.serve { url in
            let adapter = try adapter(url)
            let created = try await adapter.invoke(makeCall("prometheus", "create_plan", ["name": "release", "description": "ship it"], host: host))
            let planID = try #require(created["plan_id"]?.stringValue)
            #expect(created["result"]?["name"] == "release")

            let task = try await adapter.invoke(
                makeCall("prometheus", "add_task", ["plan_id": .string(planID), "name": "write notes"], host: host))
            #expect(task["task_id"] != nil)
            #expect(prometheus.calls.requests("POST /api/v1/plans/\(planID)/tasks/").first?.body == ["name": "write notes"])

            let plan = try await adapter.invoke(makeCall("prometheus", "get_plan", ["plan_id": .string(planID)], host: host))
            #expect(plan["result"]?["tasks"]?.objectValue?.count == 1)

            // Exactly the slash routes; never the spelling FastAPI would redirect.
            #expect(prometheus.calls.count("POST /api/v1/plans/") == 1)
            #expect(prometheus.calls.count("POST /api/v1/plans") == 0)
            #expect(prometheus.calls.count("POST /api/v1/plans/\(planID)/tasks") == 0)

            let plan404 = await adapterError { try await adapter.invoke(makeCall("prometheus", "get_plan", ["plan_id": "nope"], host: host)) }
            #expect(plan404?.code == "not_found")
            #expect(plan404?.retryable == false)
        }
    }

    @Test func planAndRiskAnalysis() async throws {
        let prometheus = PrometheusDouble()
        try await prometheus.serve { url in
            let adapter = try adapter(url)
            let plan = try await adapter.invoke(makeCall("prometheus", "analyze_plan", ["plan_id": "p1"], host: host))
            #expect(plan["result"]?["analysis"] == "the plan looks feasible")
            let risks = try await adapter.invoke(makeCall("prometheus", "analyze_risks", ["plan_id": "p1"], host: host))
            #expect(risks["result"]?["risks"]?.arrayValue?.count == 1)
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

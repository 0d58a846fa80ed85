import HarmoniaPluginKit
import EngramAdapter
import Testing

/// The Engram adapter against its double: the `/api/esr` memory API.
@Suite(.timeLimit(.minutes(1)))
struct EngramAdapterTests {
    let host = LoopbackHost()

    func adapter(_ url: String) throws -> EngramAdapter {
        try EngramAdapter(configuration: AdapterConfiguration(component: "engram", endpoint: url))
    }

    @Test func storeSearchRecallAndContext() async throws {
        let engram = EngramDouble()
        try await engram.serve { url in
            let adapter = try adapter(url)
            let stored = try await adapter.invoke(
                makeCall(
                    "engram", "store_memory", ["content": "The build is green", "metadata": ["source": "ci"]], host: host,
                    executionID: "e1", taskID: "remember"))
            let memoryID = try #require(stored["result"]?.stringValue)
            let body = try #require(engram.calls.requests("POST /api/esr/store").first?.body)
            #expect(body["content"] == "The build is green")
            #expect(body["thought_type"] == "MEMORY")
            #expect(body["ci_id"] == "harmonia")
            #expect(body["context"] == ["source": "ci", "execution_id": "e1", "task_id": "remember"])

            let found = try await adapter.invoke(makeCall("engram", "search_memory", ["query": "build", "limit": 5], host: host))
            #expect(found["count"] == 1)
            #expect(found["result"]?[0]?["memory_id"] == .string(memoryID))

            let recalled = try await adapter.invoke(makeCall("engram", "recall_memory", ["memory_id": .string(memoryID)], host: host))
            #expect(recalled["result"]?["content"] == "The build is green")

            let context = try await adapter.invoke(makeCall("engram", "get_context", ["topic": "green"], host: host))
            #expect(context["result"]?["memories"]?.arrayValue?.count == 1)

            #expect(engram.calls.routes.allSatisfy { $0.contains("/api/esr/") })
        }
    }

    @Test func engramsLimitsAreRefusedBeforeAnyRequest() async throws {
        let engram = EngramDouble()
        try await engram.serve { url in
            let adapter = try adapter(url)
            let refused: [(String, PluginJSON, String)] = [
                ("search_memory", ["query": "x", "limit": 101], "input.limit must be at most 100"),
                ("get_context", ["topic": "x", "depth": 11], "input.depth must be at most 10"),
                ("store_memory", ["content": "x", "thought_type": "DREAM"], "input.thought_type must match"),
                ("store_memory", ["content": "x", "confidence": 2], "input.confidence must be at most 1"),
            ]
            for (action, input, problem) in refused {
                let error = await adapterError { try await adapter.invoke(makeCall("engram", action, input, host: host)) }
                #expect(error?.code == "invalid_input", "\(action) \(input)")
                #expect(error?.message.contains(problem) == true, "\(error?.message ?? "no error")")
            }
            #expect(engram.calls.routes.filter { $0 != "GET /health" }.isEmpty)
            let atTheLimit = try await adapter.invoke(makeCall("engram", "search_memory", ["query": "x", "limit": 100], host: host))
            #expect(atTheLimit["count"] == 0)
        }
    }

    @Test func anUnknownMemoryIsNotFound() async throws {
        try await EngramDouble().serve { url in
            let error = await adapterError {
                try await adapter(url).invoke(makeCall("engram", "recall_memory", ["memory_id": "mem-404"], host: host))
            }
            #expect(error?.code == "not_found")
            #expect(error?.retryable == false)
        }
    }

    @Test func aRouteTheBuildDoesNotServeIsRouteUnavailable() async throws {
        try await SynthesisDouble().serve { url in
            let error = await adapterError {
                try await adapter(url).invoke(makeCall("engram", "store_memory", ["content": "x"], host: host))
            }
            #expect(error?.code == "route_unavailable")
            #expect(error?.retryable == false)
        }
    }
}

import HarmoniaPluginKit
import RhetorAdapter
import Testing

/// The Rhetor adapter against its double, including 503 "Rhetor not initialized".
@Suite(.timeLimit(.minutes(1)))
struct RhetorAdapterTests {
    let host = LoopbackHost()

    func adapter(_ url: String) throws -> RhetorAdapter {
        try RhetorAdapter(configuration: AdapterConfiguration(component: "rhetor", endpoint: url))
    }

    @Test func generateNamesHarmoniaAsTheCaller() async throws {
        let rhetor = RhetorDouble()
        try await rhetor.serve { url in
            let output = try await adapter(url).invoke(
                makeCall("rhetor", "generate", ["prompt": "Say hi", "temperature": 0.2, "max_tokens": 50], host: host))
            #expect(output["result"] == "Generated: Say hi")
            #expect(output["model"] == "double-model")
            #expect(output["usage"]?["completion_tokens"] == 3)
            #expect(
                rhetor.calls.requests("POST /api/v1/generate").first?.body
                    == ["prompt": "Say hi", "temperature": 0.2, "max_tokens": 50, "component": "harmonia"])
        }
    }

    @Test func notInitializedIsRetryableAndThenWorks() async throws {
        let rhetor = RhetorDouble()
        rhetor.notInitialized(for: 1)
        try await rhetor.serve { url in
            let adapter = try adapter(url)
            let error = await adapterError { try await adapter.invoke(makeCall("rhetor", "generate", ["prompt": "x"], host: host)) }
            #expect(error?.code == "upstream_unavailable")
            #expect(error?.retryable == true)
            #expect(error?.httpStatus == 503)
            #expect(error?.message.contains("Rhetor not initialized") == true)
            let output = try await adapter.invoke(makeCall("rhetor", "generate", ["prompt": "x"], host: host))
            #expect(output["result"] == "Generated: x")
        }
    }

    @Test func chatTakesMessagesOrOneMessage() async throws {
        let rhetor = RhetorDouble()
        try await rhetor.serve { url in
            let adapter = try adapter(url)
            let one = try await adapter.invoke(makeCall("rhetor", "chat", ["message": "hello"], host: host))
            #expect(one["result"] == "Reply to: hello")
            #expect(rhetor.calls.requests("POST /api/v1/chat").first?.body == ["messages": [["role": "user", "content": "hello"]]])
            let many = try await adapter.invoke(
                makeCall(
                    "rhetor", "chat",
                    ["messages": [["role": "system", "content": "be brief"], ["role": "user", "content": "why?"]]], host: host))
            #expect(many["result"] == "Reply to: why?")
            let none = await adapterError { try await adapter.invoke(makeCall("rhetor", "chat", ["messages": []], host: host)) }
            #expect(none?.code == "invalid_input")
        }
    }

    @Test func modelsComeFromTheCatalogueAndPromptsByTemplateName() async throws {
        let rhetor = RhetorDouble()
        try await rhetor.serve { url in
            let adapter = try adapter(url)
            // /api/v1/models answers 500 on the real Rhetor; the catalogue routes work.
            let models = try await adapter.invoke(makeCall("rhetor", "list_models", host: host))
            #expect(models["result"]?[0]?["id"] == "double-model")
            #expect(models["providers"]?["double"]?["status"] == "available")
            #expect(rhetor.calls.count("GET /api/v1/models") == 0)
            let rendered = try await adapter.invoke(
                makeCall("rhetor", "render_prompt", ["template_id": "greeting", "variables": ["name": "World"]], host: host))
            #expect(rendered["result"] == "Hello World")
            #expect(rhetor.calls.requests("POST /api/v1/prompts/render").first?.body == ["template_name": "greeting", "variables": ["name": "World"]])
            let unknown = await adapterError { try await adapter.invoke(makeCall("rhetor", "render_prompt", ["template_name": "nope"], host: host)) }
            #expect(unknown?.code == "bad_request")
            #expect(unknown?.message.contains("Template not found: nope") == true)
            let inline = await adapterError { try await adapter.invoke(makeCall("rhetor", "render_prompt", ["template": "Hello {name}"], host: host)) }
            #expect(inline?.code == "invalid_input")
        }
    }

    @Test func aRhetorThatExitedAtStartUpIsUnreachableThenWorksOnceUp() async throws {
        // The real Rhetor exits when its initialization fails: nothing listens, no 503.
        let port = try await EngramDouble().serve { url in Int(url.split(separator: ":").last ?? "0") ?? 0 }
        let url = "http://127.0.0.1:\(port)"
        let down = await adapterError { try await adapter(url).invoke(makeCall("rhetor", "generate", ["prompt": "x"], host: host)) }
        #expect(down?.code == "component_unreachable")
        #expect(down?.retryable == true)
        #expect(down?.message.contains("exits at start-up") == true)
        try await RhetorDouble().serve(port: port) { url in
            let output = try await adapter(url).invoke(makeCall("rhetor", "generate", ["prompt": "x"], host: host))
            #expect(output["result"] == "Generated: x")
        }
    }

    @Test func aRouteTheBuildDoesNotServeIsRouteUnavailable() async throws {
        try await EngramDouble().serve { url in
            let error = await adapterError { try await adapter(url).invoke(makeCall("rhetor", "generate", ["prompt": "x"], host: host)) }
            #expect(error?.code == "route_unavailable")
            #expect(error?.retryable == false)
        }
    }
}

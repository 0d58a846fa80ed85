import AsyncHTTPClient
import Foundation
import HarmoniaClient
import HarmoniaCore
import NIOCore
import NIOHTTP1
import Testing

@testable import HarmoniaServer

/// `/ui`, `/` for browsers, and `/metrics`.
@Suite(.timeLimit(.minutes(1)))
struct DashboardAndMetricsTests {
    @Test func dashboardIsServedAtUIAndAtRootForBrowsersOnly() async throws {
        try await LiveServer.with(apiKeys: ["k"]) { server in
            // Static files need no key (they hold no data); the page asks for one.
            let page = try await Self.get(server, "/ui")
            #expect(page.status == 200)
            #expect(page.contentType.hasPrefix("text/html"))
            #expect(page.text.contains("<svg id=\"dag\""))
            #expect(try await Self.get(server, "/ui/app.js").contentType.hasPrefix("text/javascript"))
            #expect(try await Self.get(server, "/ui/style.css").contentType.hasPrefix("text/css"))
            #expect(try await Self.get(server, "/ui/nope.js").status == 404)
            // No CDN, no external fetches: every URL the page loads is our own.
            for asset in ["/ui", "/ui/app.js", "/ui/style.css"] {
                let text = try await Self.get(server, asset).text
                #expect(!text.contains("https://") && !text.contains("src=\"http") && !text.contains("href=\"http"), "\(asset)")
            }

            let browser = try await Self.get(server, "/", accept: "text/html,application/xhtml+xml,*/*;q=0.8")
            #expect(browser.status == 200)
            #expect(browser.contentType.hasPrefix("text/html"))
            let api = try await Self.get(server, "/", accept: "application/json", apiKey: "k")
            #expect(api.contentType.hasPrefix("application/json"))
            #expect(try JSONValue.parse(Array(api.text.utf8))["name"] == "Harmonia")
            #expect(try await Self.get(server, "/", accept: "application/json").status == 401)
        }
    }

    @Test func metricsExposeExecutionsTasksAndStreams() async throws {
        try await LiveServer.with { server in
            let id = try await server.start(StreamFixtures.chain(3, sleep: 0))
            _ = try await server.finishedLog(id)
            // The collector counts from the live broadcast: poll until it has the run.
            try await server.eventually("metrics to count three task durations") {
                try await Self.get(server, "/metrics").text.contains("harmonia_task_duration_seconds_count 3")
            }
            let text = try await Self.get(server, "/metrics").text
            #expect(text.contains(#"harmonia_executions{status="completed"} 1"#))
            #expect(text.contains(#"harmonia_events_total{type="task_completed"} 3"#))
            #expect(text.contains("harmonia_engine_in_flight_tasks 0"))
            #expect(text.contains("# TYPE harmonia_task_duration_seconds histogram"))
            #expect(text.contains(#"harmonia_stream_connections{kind="sse"} 0"#))
            #expect(text.contains("harmonia_event_subscribers"))
            #expect(text.contains("harmonia_engine_ready_tasks 0"))
            #expect(text.contains("# TYPE harmonia_adapter_call_duration_seconds histogram"))
            #expect(text.contains(#"harmonia_adapter_call_duration_seconds_count{component="harmonia",action="sleep",outcome="success"} 3"#)
                || text.contains(#"harmonia_adapter_call_duration_seconds_count{action="sleep",component="harmonia",outcome="success"} 3"#))
        }
    }

    struct Fetched {
        var status: Int
        var contentType: String
        var text: String
    }

    static func get(_ server: LiveServer, _ path: String, accept: String? = nil, apiKey: String? = nil) async throws -> Fetched {
        var request = HTTPClientRequest(url: server.baseURL + path)
        if let accept { request.headers.add(name: "Accept", value: accept) }
        if let apiKey { request.headers.add(name: "X-API-Key", value: apiKey) }
        // Long: the tests here are not about time, and a loaded machine can be slow to answer.
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 1 << 22)
        return Fetched(
            status: Int(response.status.code), contentType: response.headers.first(name: "Content-Type") ?? "",
            text: String(buffer: body))
    }
}

import Foundation
import HarmoniaCore
import HummingbirdWSClient
import Logging
import Testing

@testable import HarmoniaServer

/// What Tekton's UI does, in a real browser: a page on one origin calls the API of a server
/// on another with `fetch` (a JSON POST, so the browser sends a preflight first, with the
/// API key in a header) and reads a live SSE stream with `EventSource`. The browser, not
/// our code, decides whether the page may read each answer; a server whose
/// `server.cors_origins` lacks the page's origin must be unreadable from it.
@Suite(.timeLimit(.minutes(3)))
struct CORSBrowserTests {
    @Test(.enabled(if: DashboardBrowserTests.runs, "chromium is not installed (apt-get install -y chromium)"))
    func aPageOnAnAllowedOriginCallsTheAPIAndReadsItsStreamAndOthersCannot() async throws {
        let binary = try #require(DashboardBrowserTests.chromium)
        // The page's server: its origin is http://127.0.0.1:<port>, like Hephaestus on :8080.
        try await LiveServer.with { page in
            let origin = page.baseURL
            try await LiveServer.with(apiKeys: ["ui-key"], corsOrigins: [origin]) { allowing in
                try await LiveServer.with { refusing in
                    let results = try await Self.runInPage(
                        binary: binary, pageURL: page.baseURL + "/health",
                        script: Self.script(allowing: allowing.baseURL, refusing: refusing.baseURL))
                    #expect(results["unauthenticated"] == 401, "the key is still required: \(results.jsonString())")
                    #expect(results["created"] == 201, "\(results.jsonString())")
                    #expect(results["started"] == 201, "\(results.jsonString())")
                    #expect(results["streamed"] == "workflow_started", "\(results.jsonString())")
                    #expect(results["refused"] == "blocked", "\(results.jsonString())")
                }
            }
        }
    }

    /// The page's script: every step's outcome in one object, as the browser let it see it.
    static func script(allowing api: String, refusing other: String) -> String {
        """
        (async () => {
          const out = {};
          const json = { 'Content-Type': 'application/json' };
          const keyed = { ...json, 'Authorization': 'Bearer ui-key' };
          const body = JSON.stringify({ name: 'from_the_ui', tasks: [
            { id: 'a', component: 'harmonia', action: 'echo', input: { message: 'hi' } }] });
          out.unauthenticated = (await fetch('\(api)/api/v1/workflows', { method: 'POST', headers: json, body })).status;
          const created = await fetch('\(api)/api/v1/workflows', { method: 'POST', headers: keyed, body });
          out.created = created.status;
          const workflow = (await created.json()).data;
          const started = await fetch('\(api)/api/v1/workflows/' + workflow.workflow_id + '/execute',
            { method: 'POST', headers: keyed, body: '{}' });
          out.started = started.status;
          const execution = (await started.json()).data;
          out.streamed = await new Promise((resolve) => {
            const source = new EventSource('\(api)/events/executions/' + execution.execution_id + '?api_key=ui-key');
            const done = (value) => { source.close(); resolve(value); };
            source.addEventListener('workflow_started', (e) => done(JSON.parse(e.data).event_type));
            source.onmessage = (e) => done(JSON.parse(e.data).event_type);
            source.onerror = () => done('error');
          });
          try {
            await fetch('\(other)/api/v1/workflows', { method: 'POST', headers: json, body });
            out.refused = 'readable';
          } catch (error) {
            out.refused = 'blocked';
          }
          return out;
        })()
        """
    }

    /// Opens `pageURL` in headless Chromium and evaluates `script` there.
    static func runInPage(binary: String, pageURL: String, script: String) async throws -> JSONValue {
        let browser = try Chromium(binary: binary)
        defer { browser.stop() }
        let devTools = try await browser.pageWebSocketURL()
        var logger = Logger(label: "cdp")
        logger.logLevel = .warning
        let result = FrameBox()
        try await WebSocketClient.connect(url: devTools, logger: logger) { inbound, outbound, _ in
            var session = CDPSession(inbound: inbound, outbound: outbound)
            try await session.send("Page.navigate", ["url": .string(pageURL)])
            try await session.waitUntil("the page to load", "document.readyState === 'complete' && location.href === '\(pageURL)'")
            _ = result.append(try await session.evaluate(script))
        }
        return try #require(result.all.first)
    }
}

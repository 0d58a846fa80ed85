import Foundation
import HarmoniaClient
import HarmoniaCore
import HummingbirdWSClient
import Logging
import Testing

@testable import HarmoniaServer

/// A person's path through the dashboard, in a real browser: open it, pick a workflow,
/// press Execute, and watch every node of the DAG turn `completed` from the SSE stream.
@Suite(.timeLimit(.minutes(3)))
struct DashboardBrowserTests {
    static let chromium: String? = {
        let path = Chromium.path
        if path == nil {
            print("""
                ******************************************************************************
                ** SKIPPING the dashboard browser test: chromium is not installed.          **
                ** Install it with: apt-get install -y chromium   (.ci/run does this)       **
                ******************************************************************************
                """)
        }
        return path
    }()

    /// Under `CI=true` the browser tests run even without chromium, and then fail: in CI
    /// nothing skips.
    static let runs = chromium != nil || ProcessInfo.processInfo.environment["CI"] == "true"

    @Test(.enabled(if: runs, "chromium is not installed (apt-get install -y chromium)"))
    func dashboardStartsAWorkflowAndEveryNodeTurnsCompleted() async throws {
        let binary = try #require(Self.chromium)
        try await LiveServer.with { server in
            let workflow = try await server.client.createWorkflow(StreamFixtures.diamond)
            let browser = try Chromium(binary: binary)
            defer { browser.stop() }
            let pageURL = try await browser.pageWebSocketURL()
            let screenshot = FrameBox()
            var logger = Logger(label: "cdp")
            logger.logLevel = .warning
            let base = server.baseURL
            let workflowID = workflow.workflowID
            var configuration = WebSocketClientConfiguration()
            configuration.maxFrameSize = 1 << 26  // a screenshot arrives as one base64 frame
            try await WebSocketClient.connect(url: pageURL, configuration: configuration, logger: logger) { inbound, outbound, _ in
                var page = CDPSession(inbound: inbound, outbound: outbound)
                try await page.send(
                    "Emulation.setDeviceMetricsOverride",
                    ["width": 1400, "height": 1000, "deviceScaleFactor": 1, "mobile": false])
                try await page.send("Page.navigate", ["url": .string(base + "/ui")])
                try await page.waitUntil(
                    "the dashboard to load its workflows",
                    "document.body && document.body.dataset.ready === 'true' && document.querySelector('#workflow-select option[value=\"\(workflowID)\"]') !== null")
                // Like a person: choose the workflow, type the input, press Execute.
                _ = try await page.evaluate("""
                    (() => {
                      document.querySelector('#workflow-select').value = '\(workflowID)';
                      document.querySelector('#input-json').value = '{"note": "from the browser test"}';
                      document.querySelector('#execute').click();
                      return true;
                    })()
                    """)
                try await page.waitUntil(
                    "every node to turn completed",
                    """
                    (() => {
                      const nodes = [...document.querySelectorAll('#dag .node')];
                      const row = document.querySelector('#executions tbody tr .badge');
                      return nodes.length === 4 && nodes.every((n) => n.dataset.status === 'completed')
                        && document.body.dataset.executionStatus === 'completed' && row && row.textContent === 'completed';
                    })()
                    """)
                // Select a node so the screenshot shows task details too.
                _ = try await page.evaluate("document.querySelector('#dag .node[data-task=\"join\"]').dispatchEvent(new MouseEvent('click')); true")
                let shot = try await page.send("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": true])
                _ = screenshot.append(shot["data"] ?? .null)
            }
            let data = try #require(screenshot.all.first?.stringValue.flatMap { Data(base64Encoded: $0) })
            let directory = URL(fileURLWithPath: ProcessInfo.processInfo.environment["HARMONIA_ARTIFACTS"]
                ?? FileManager.default.currentDirectoryPath + "/.build/artifacts")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let file = directory.appendingPathComponent("dashboard.png")
            try data.write(to: file)
            print("dashboard screenshot: \(file.path) (\(data.count) bytes)")

            // The browser really started it: one execution of the workflow, completed.
            let executions = try await server.client.listExecutions(workflowID: workflowID)
            #expect(executions.executions.count == 1)
            #expect(executions.executions.first?.status == .completed)
            #expect(executions.executions.first?.record.input["note"] == "from the browser test")
        }
    }
}

import Foundation
import HarmoniaClient
import HarmoniaCore
import HummingbirdWSClient
import Logging
import Testing

@testable import HarmoniaServer

/// An operator's flow through the dashboard, by clicking in a real browser: start a
/// workflow, watch it, pause it, take a checkpoint, cancel it (confirming), restore from a
/// checkpoint (confirming), and re-run; the server's state proves each click did its work.
@Suite(.timeLimit(.minutes(4)))
struct DashboardFlowTests {
    /// `first` is done at once, `slow` sleeps long enough for every click to land while it runs,
    /// `flaky` fails on its own (no task depends on it).
    static let definition: JSONValue = [
        "name": "operated",
        "input_schema": ["type": "object", "required": ["who"], "properties": ["who": ["type": "string", "description": "who operates"]]],
        "tasks": [
            ["name": "first", "component": "harmonia", "action": "echo", "input": ["message": "${input.who}"]],
            ["name": "slow", "component": "harmonia", "action": "sleep", "input": ["seconds": 60], "depends_on": ["first"]],
            ["name": "last", "component": "harmonia", "action": "noop", "depends_on": ["slow"]],
            // Fails twice with a retry delay between: two attempts and a delay on the timeline.
            [
                "name": "flaky", "component": "harmonia", "action": "fail", "input": ["retryable": true],
                "retry_policy": ["max_retries": 1, "initial_delay": 0.2, "jitter": 0],
            ],
        ],
    ]

    @Test(.enabled(if: DashboardBrowserTests.runs, "chromium is not installed (apt-get install -y chromium)"))
    func startPauseCheckpointCancelRestoreRerunByClicking() async throws {
        let binary = try #require(DashboardBrowserTests.chromium)
        try await LiveServer.with { server in
            let workflow = try await server.client.createWorkflow(Self.definition)
            let browser = try Chromium(binary: binary)
            defer { browser.stop() }
            let pageURL = try await browser.pageWebSocketURL()
            var logger = Logger(label: "cdp")
            logger.logLevel = .warning
            let base = server.baseURL
            let workflowID = workflow.workflowID
            let ids = FrameBox()
            let shot = FrameBox()
            var configuration = WebSocketClientConfiguration()
            configuration.maxFrameSize = 1 << 26
            try await WebSocketClient.connect(url: pageURL, configuration: configuration, logger: logger) { inbound, outbound, _ in
                var page = CDPSession(inbound: inbound, outbound: outbound)
                try await page.send(
                    "Emulation.setDeviceMetricsOverride", ["width": 1400, "height": 900, "deviceScaleFactor": 1, "mobile": false])
                try await page.send("Page.navigate", ["url": .string(base + "/ui")])
                try await page.waitUntil(
                    "the dashboard to list the workflow",
                    "document.body && document.body.dataset.ready === 'true' && document.querySelector('#workflow-select option[value=\"\(workflowID)\"]') !== null")
                // The workflows list shows a stored definition when its row is clicked.
                _ = try await page.evaluate("document.querySelector('#workflows tr[data-workflow=\"\(workflowID)\"]').click(); true")
                #expect(try await page.evaluate("document.querySelector('#workflow-definition').textContent.includes('\"flaky\"')") == true)
                let current = "decodeURIComponent((location.hash.match(/^#\\/executions\\/(.+)$/) || [])[1] || '')"
                // Start from the form the input schema generates, and watch `first` complete and `slow` run.
                _ = try await page.evaluate("""
                    (() => { const select = document.querySelector('#workflow-select');
                      select.value = '\(workflowID)'; select.dispatchEvent(new Event('change'));
                      const who = document.querySelector('#schema-fields input[name="who"]');
                      who.value = 'Ada'; who.dispatchEvent(new Event('input'));
                      document.querySelector('#execute').click(); return true; })()
                    """)
                try await page.waitUntil(
                    "first completed and slow running",
                    "document.querySelector('#dag .node[data-task=\"first\"]')?.dataset.status === 'completed' && document.querySelector('#dag .node[data-task=\"slow\"]')?.dataset.status === 'running'")
                _ = ids.append(try await page.evaluate(current))
                // "Why is it waiting": `last` waits for `slow`, and the execution can progress.
                try await page.waitUntil(
                    "the explanation to say that last waits for slow",
                    """
                    document.querySelector('#explain tr[data-task="last"]')?.textContent.includes("waits for task 'slow' to finish")
                      && document.querySelector('#explain tr[data-task="slow"]')?.textContent.includes('running')
                      && document.querySelector('#explain-summary').className === 'muted'
                    """)
                try await page.waitUntil(
                    "the timeline to show flaky's two failed attempts and its retry delay",
                    """
                    document.querySelectorAll('#timeline .bar.attempt[data-task="flaky"][data-status="failed"]').length === 2
                      && document.querySelectorAll('#timeline .bar.retry[data-task="flaky"]').length === 1
                      && document.querySelectorAll('#timeline .bar.attempt[data-task="slow"][data-status="running"]').length === 1
                    """)
                // Pause: the execution pauses and the automatic pause checkpoint is listed.
                _ = try await page.evaluate("document.querySelector('[data-action=\"pause\"]').click(); true")
                try await page.waitUntil("paused", "document.body.dataset.executionStatus === 'paused'")
                try await page.waitUntil("the pause checkpoint listed", "document.querySelectorAll('#checkpoints tbody tr').length >= 1")
                // Checkpoint by hand: a second row.
                _ = try await page.evaluate("document.querySelector('#checkpoint').click(); true")
                try await page.waitUntil("the manual checkpoint listed", "document.querySelectorAll('#checkpoints tbody tr').length >= 2")
                // Cancel asks first; No leaves it paused, Yes cancels.
                _ = try await page.evaluate("document.querySelector('[data-action=\"cancel\"]').click(); true")
                try await page.waitUntil("the cancel confirmation", "!document.querySelector('#confirm').hidden")
                _ = try await page.evaluate("document.querySelector('#confirm-no').click(); true")
                #expect(try await page.evaluate("document.body.dataset.executionStatus") == "paused")
                _ = try await page.evaluate("document.querySelector('[data-action=\"cancel\"]').click(); document.querySelector('#confirm-yes').click(); true")
                try await page.waitUntil("canceled", "document.body.dataset.executionStatus === 'canceled'")
                // Restore from the first checkpoint (confirmed): a new execution opens.
                _ = try await page.evaluate("document.querySelector('#checkpoints tbody tr button.restore').click(); true")
                try await page.waitUntil("the restore confirmation", "!document.querySelector('#confirm').hidden")
                _ = try await page.evaluate("document.querySelector('#confirm-yes').click(); true")
                let original = try #require(ids.all.first?.stringValue)
                try await page.waitUntil(
                    "the restored execution open and running slow",
                    "\(current) !== '' && \(current) !== '\(original)' && document.querySelector('#dag .node[data-task=\"slow\"]')?.dataset.status === 'running'")
                _ = ids.append(try await page.evaluate(current))
                // Re-run: another new execution of the same version with the same input.
                let restored = try #require(ids.all.last?.stringValue)
                _ = try await page.evaluate("document.querySelector('#rerun').click(); true")
                try await page.waitUntil(
                    "the re-run open", "\(current) !== '' && \(current) !== '\(restored)' && document.querySelectorAll('#dag .node').length === 4")
                _ = ids.append(try await page.evaluate(current))
                // The definition view shows the pinned version.
                _ = try await page.evaluate("document.querySelector('#definition-box').open = true; true")
                #expect(try await page.evaluate("document.querySelector('#definition').textContent.includes('\"slow\"')") == true)
                let image = try await page.send("Page.captureScreenshot", ["format": "png"])
                _ = shot.append(image["data"] ?? .null)
            }
            let executions = ids.all.compactMap(\.stringValue)
            #expect(executions.count == 3 && Set(executions).count == 3, "\(executions)")
            guard executions.count == 3 else { return }
            let api = server.client
            let original = try await api.getExecution(id: executions[0])
            #expect(original.execution.status == .canceled)
            let checkpoints = try await api.listCheckpoints(executionID: executions[0])
            #expect(checkpoints.checkpoints.map(\.reason).starts(with: ["pause", "manual"]), "\(checkpoints.checkpoints.map(\.reason))")
            let restored = try await api.getExecution(id: executions[1])
            #expect(restored.execution.tasks?["first"]?.status == .completed)
            #expect(restored.execution.tasks?["first"]?.attempt == 1, "kept from the checkpoint, not run again")
            let rerun = try await api.getExecution(id: executions[2])
            #expect(rerun.execution.record.workflowID == workflowID)
            #expect(rerun.execution.record.input["who"] == "Ada")
            for id in executions.dropFirst() { _ = try? await api.cancelWorkflow(executionID: id) }

            let data = try #require(shot.all.first?.stringValue.flatMap { Data(base64Encoded: $0) })
            let directory = URL(fileURLWithPath: ProcessInfo.processInfo.environment["HARMONIA_ARTIFACTS"]
                ?? FileManager.default.currentDirectoryPath + "/.build/artifacts")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try data.write(to: directory.appendingPathComponent("dashboard-flows.png"))
        }
    }
}

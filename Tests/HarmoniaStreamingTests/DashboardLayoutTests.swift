import Foundation
import HarmoniaClient
import HarmoniaCore
import HummingbirdWSClient
import Logging
import Testing

@testable import HarmoniaServer

/// The dashboard's layout in a real browser at the two sizes people use it at: a wide,
/// deep DAG stays inside its own scrolling, zooming panel and nothing on the page reaches
/// past the viewport's width. Screenshots go to `.build/artifacts/` (CI keeps them).
@Suite(.timeLimit(.minutes(4)))
struct DashboardLayoutTests {
    static let viewports: [(width: Int, height: Int)] = [(1400, 900), (1024, 768)]

    /// Eight layers of five tasks with long ids: wider than any panel at 100%.
    static let wide: JSONValue = {
        var tasks: [JSONValue] = []
        for layer in 0..<8 {
            for row in 0..<5 {
                let id = "layer-\(layer)-task-\(row)-with-a-long-name"
                let parents: [JSONValue] = layer == 0 ? [] : (0..<5).map { .string("layer-\(layer - 1)-task-\($0)-with-a-long-name") }
                tasks.append([
                    "name": .string(id), "component": "harmonia", "action": "echo",
                    "input": ["message": "a value long enough to need the whole width of a table cell and more than that"],
                    "depends_on": .array(parents),
                ])
            }
        }
        return ["name": "a-wide-workflow-whose-name-is-long-enough-to-test-the-header-and-the-tables", "tasks": .array(tasks)]
    }()

    /// Elements whose box reaches past the viewport's right edge and are not clipped by a
    /// scrolling ancestor (the DAG's panel scrolls: what is inside it is not the page's).
    static let overflowScript = """
        (() => {
          const width = window.innerWidth, bad = [];
          for (const e of document.querySelectorAll('body *')) {
            const r = e.getBoundingClientRect();
            if ((r.width === 0 && r.height === 0) || (r.right <= width + 1 && r.left >= -1)) continue;
            let a = e.parentElement, clipped = false;
            while (a && a !== document.body) {
              if (/(auto|scroll|hidden)/.test(getComputedStyle(a).overflowX)) { clipped = true; break; }
              a = a.parentElement;
            }
            if (!clipped) bad.push(e.tagName + (e.id ? '#' + e.id : '') + ' right=' + Math.round(r.right));
          }
          return JSON.stringify({ scrollWidth: document.documentElement.scrollWidth, width, bad: bad.slice(0, 12) });
        })()
        """

    @Test(.enabled(if: DashboardBrowserTests.runs, "chromium is not installed (apt-get install -y chromium)"))
    func nothingOverflowsAndTheGraphScrollsAndZoomsInItsPanel() async throws {
        let binary = try #require(DashboardBrowserTests.chromium)
        try await LiveServer.with { server in
            // Enough executions for a full table, the last of them the wide one.
            for _ in 0..<3 { _ = try await server.start(StreamFixtures.diamond) }
            let id = try await server.start(Self.wide)
            _ = try await server.client.waitForCompletion(executionID: id, timeout: .seconds(60), pollInterval: .milliseconds(50))
            let browser = try Chromium(binary: binary)
            defer { browser.stop() }
            let pageURL = try await browser.pageWebSocketURL()
            let reports = FrameBox()
            let shots = FrameBox()
            var logger = Logger(label: "cdp")
            logger.logLevel = .warning
            let base = server.baseURL
            var configuration = WebSocketClientConfiguration()
            configuration.maxFrameSize = 1 << 26
            try await WebSocketClient.connect(url: pageURL, configuration: configuration, logger: logger) { inbound, outbound, _ in
                var page = CDPSession(inbound: inbound, outbound: outbound)
                for viewport in Self.viewports {
                    try await page.send(
                        "Emulation.setDeviceMetricsOverride",
                        ["width": .integer(viewport.width), "height": .integer(viewport.height), "deviceScaleFactor": 1, "mobile": false])
                    try await page.send("Page.navigate", ["url": "about:blank"])
                    try await page.send("Page.navigate", ["url": .string(base + "/ui#/executions/" + id)])
                    try await page.waitUntil(
                        "the wide execution drawn, completed",
                        """
                        document.body && document.body.dataset.ready === 'true'
                          && document.querySelectorAll('#dag .node[data-status="completed"]').length === 40
                          && document.querySelectorAll('#components tbody tr').length > 0
                          && document.querySelectorAll('#timeline .bar.attempt[data-status="completed"]').length === 40
                        """)
                    _ = reports.append(try await page.evaluate(Self.overflowScript))
                    // The graph is wider than its panel at 100%: the panel scrolls, the page does not.
                    let scrolls = try await page.evaluate("""
                        (() => { document.querySelector('[data-zoom="reset"]').click();
                          const w = document.querySelector('#dag-wrap');
                          return w.scrollWidth > w.clientWidth && document.documentElement.scrollWidth <= window.innerWidth; })()
                        """)
                    _ = reports.append(["scrolls": scrolls])
                    _ = reports.append(try await page.evaluate(Self.overflowScript))
                    // Fit brings the whole graph's width into the panel.
                    let fits = try await page.evaluate("""
                        (() => { document.querySelector('[data-zoom="fit"]').click();
                          const w = document.querySelector('#dag-wrap'), svg = document.querySelector('#dag');
                          return svg.getBoundingClientRect().width <= w.clientWidth + 1
                            && document.querySelector('#zoom-level').textContent !== '100%'; })()
                        """)
                    _ = reports.append(["fits": fits])
                    let shot = try await page.send("Page.captureScreenshot", ["format": "png"])
                    _ = shots.append(["name": .string("dashboard-\(viewport.width)x\(viewport.height).png"), "data": shot["data"] ?? .null])
                }
            }
            for report in reports.all {
                if let text = report.stringValue {
                    let value = try JSONValue.parse(Array(text.utf8))
                    #expect(value["bad"] == [], "elements past the viewport: \(text)")
                    #expect((value["scrollWidth"]?.intValue ?? .max) <= (value["width"]?.intValue ?? 0), "\(text)")
                } else {
                    #expect(report["scrolls"] ?? report["fits"] == true, "\(report.jsonString())")
                }
            }
            let directory = URL(fileURLWithPath: ProcessInfo.processInfo.environment["HARMONIA_ARTIFACTS"]
                ?? FileManager.default.currentDirectoryPath + "/.build/artifacts")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            #expect(shots.all.count == Self.viewports.count)
            for shot in shots.all {
                let data = try #require(shot["data"]?.stringValue.flatMap { Data(base64Encoded: $0) })
                let file = directory.appendingPathComponent(shot["name"]?.stringValue ?? "dashboard.png")
                try data.write(to: file)
                print("dashboard screenshot: \(file.path) (\(data.count) bytes)")
            }
        }
    }
}

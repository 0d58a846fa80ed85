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

    /// One root, 998 tasks depending on it, one join: the fan-out collapses into one node.
    static let fanOut: JSONValue = {
        var tasks: [JSONValue] = [["name": "root", "component": "harmonia", "action": "noop"]]
        for index in 0..<998 {
            tasks.append(["name": .string("leaf-\(index)"), "component": "harmonia", "action": "noop", "depends_on": ["root"]])
        }
        tasks.append(["name": "join", "component": "harmonia", "action": "noop", "depends_on": .array((0..<998).map { .string("leaf-\($0)") })])
        return ["name": "fan-out-1000", "tasks": .array(tasks)]
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

    @Test(.enabled(if: DashboardBrowserTests.runs, "chromium is not installed (apt-get install -y chromium)"))
    func aThousandTaskFanOutIsCollapsedIntoOneNode() async throws {
        let binary = try #require(DashboardBrowserTests.chromium)
        try await LiveServer.with { server in
            let id = try await server.start(Self.fanOut)
            _ = try await server.client.waitForCompletion(executionID: id, timeout: .seconds(120), pollInterval: .milliseconds(100))
            let browser = try Chromium(binary: binary)
            defer { browser.stop() }
            let pageURL = try await browser.pageWebSocketURL()
            let results = FrameBox()
            var logger = Logger(label: "cdp")
            logger.logLevel = .warning
            let base = server.baseURL
            var configuration = WebSocketClientConfiguration()
            configuration.maxFrameSize = 1 << 26
            try await WebSocketClient.connect(url: pageURL, configuration: configuration, logger: logger) { inbound, outbound, _ in
                var page = CDPSession(inbound: inbound, outbound: outbound)
                try await page.send(
                    "Emulation.setDeviceMetricsOverride", ["width": 1400, "height": 900, "deviceScaleFactor": 1, "mobile": false])
                try await page.send("Page.navigate", ["url": .string(base + "/ui#/executions/" + id)])
                try await page.waitUntil(
                    "the fan-out drawn as three nodes, all completed",
                    """
                    document.body && document.body.dataset.ready === 'true'
                      && document.querySelectorAll('#dag .node').length === 3
                      && document.querySelector('#dag .node.group')?.dataset.status === 'completed'
                      && document.querySelector('#detail-progress').textContent === '1000/1000 tasks done'
                    """, timeout: .seconds(90))
                // Milliseconds from navigation to everything drawn (3,000 events replayed).
                _ = results.append(try await page.evaluate("Math.round(performance.now())"))
                _ = results.append(try await page.evaluate("document.querySelector('#dag .node.group text').textContent"))
                _ = results.append(try await page.evaluate(Self.overflowScript))
                _ = try await page.evaluate("document.querySelector('#dag .node.group').dispatchEvent(new MouseEvent('click')); true")
                _ = results.append(try await page.evaluate("document.querySelectorAll('#task-detail ul.members li').length"))
            }
            let all = results.all
            try #require(all.count == 4)
            print("dashboard: 1,000-task fan-out drawn and replayed in \(all[0].intValue ?? -1) ms")
            #expect((all[1].stringValue ?? "").hasPrefix("998 × leaf-"), "\(all[1])")
            let overflow = try JSONValue.parse(Array((all[2].stringValue ?? "{}").utf8))
            #expect(overflow["bad"] == [], "\(overflow.jsonString())")
            #expect(all[3] == 500, "the group's members are listed (the first 500)")
        }
    }
}

import Foundation
import HarmoniaClient
import HarmoniaCore
import HummingbirdWSClient
import Logging
import Testing

@testable import HarmoniaServer

/// The Templates panel in a real browser: the instantiate form is generated from the
/// template's typed parameters, a missing value is refused with the server's reason, good
/// values make a new workflow that the start form then offers.
@Suite(.timeLimit(.minutes(3)))
struct DashboardTemplateTests {
    static let template: JSONValue = [
        "name": "greeting",
        "parameters": [
            "who": ["type": "string", "required": true, "description": "whom to greet"],
            "times": ["type": "integer", "default": 2, "minimum": 1, "maximum": 5],
            "region": ["type": "string", "enum": ["eu", "us"], "default": "eu"],
        ],
        "definition": [
            "name": "greet ${params.who}",
            "tasks": ["hello": ["component": "harmonia", "action": "echo", "input": ["message": "Hello ${params.who} from ${params.region}", "times": "${params.times}"]]],
        ],
    ]

    @Test(.enabled(if: DashboardBrowserTests.runs, "chromium is not installed (apt-get install -y chromium)"))
    func instantiateFromTheGeneratedForm() async throws {
        let binary = try #require(DashboardBrowserTests.chromium)
        try await LiveServer.with { server in
            let template = try await server.client.createTemplate(Self.template)
            let browser = try Chromium(binary: binary)
            defer { browser.stop() }
            let pageURL = try await browser.pageWebSocketURL()
            var logger = Logger(label: "cdp")
            logger.logLevel = .warning
            let base = server.baseURL
            let templateID = template.templateID
            let messages = FrameBox()
            var configuration = WebSocketClientConfiguration()
            configuration.maxFrameSize = 1 << 26
            try await WebSocketClient.connect(url: pageURL, configuration: configuration, logger: logger) { inbound, outbound, _ in
                var page = CDPSession(inbound: inbound, outbound: outbound)
                try await page.send(
                    "Emulation.setDeviceMetricsOverride", ["width": 1024, "height": 768, "deviceScaleFactor": 1, "mobile": false])
                try await page.send("Page.navigate", ["url": .string(base + "/ui")])
                try await page.waitUntil(
                    "the template listed",
                    "document.body && document.body.dataset.ready === 'true' && document.querySelector('#templates tr[data-template=\"\(templateID)\"]') !== null")
                _ = try await page.evaluate("document.querySelector('#templates tr[data-template=\"\(templateID)\"]').click(); true")
                // One field per parameter, typed: text, number, and a choice of the enum.
                let fields = try await page.evaluate("""
                    [...document.querySelectorAll('#parameter-fields [name]')].map((f) => f.getAttribute('name') + ':' + (f.type || f.tagName)).join(',')
                    """)
                #expect(fields == "region:select-one,times:number,who:text", "\(fields)")
                // The declared range bounds the number field.
                #expect(try await page.evaluate("document.querySelector('#parameter-fields [name=\"times\"]').max") == "5")
                // A required value missing: the server's reason is shown, nothing is created.
                _ = try await page.evaluate("""
                    (() => { document.querySelector('#parameter-fields [name="times"]').value = '3';
                      document.querySelector('#instantiate').click(); return true; })()
                    """)
                try await page.waitUntil("the refusal", "document.querySelector('#instantiate-message').textContent.includes('instantiate failed')")
                _ = messages.append(try await page.evaluate("document.querySelector('#instantiate-message').textContent"))
                _ = try await page.evaluate("""
                    (() => { document.querySelector('#parameter-fields [name="who"]').value = 'Ada';
                      document.querySelector('#parameter-fields [name="region"]').value = '"us"';
                      document.querySelector('#instantiate').click(); return true; })()
                    """)
                try await page.waitUntil(
                    "the new workflow chosen in the start form",
                    "document.querySelector('#instantiate-message').textContent.includes('created') && document.querySelector('#workflow-select option:checked')?.textContent.startsWith('greet Ada')")
            }
            let refusal = messages.all.first?.stringValue ?? ""
            #expect(refusal.contains("who") && refusal.contains("required"), "\(refusal)")
            let workflows = try await server.client.listWorkflows(name: "greet Ada")
            #expect(workflows.workflows.count == 1)
            let hello = try #require(workflows.workflows.first?.definition.tasks.first)
            #expect(hello.input["message"] == "Hello Ada from us")
            #expect(hello.input["times"] == 3)
        }
    }
}

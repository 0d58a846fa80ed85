import Foundation
import HarmoniaClient
import HarmoniaCore
import Testing

@testable import HarmoniaServer

/// A map task in a real browser: its panel lists the instances themselves — index, status,
/// attempt, item and output — a page at a time, not only their counts.
@Suite(.timeLimit(.minutes(3)))
struct DashboardMapTests {
    @Test(.enabled(if: DashboardBrowserTests.runs, "chromium is not installed (apt-get install -y chromium)"))
    func theTaskPanelListsAMapsInstances() async throws {
        let binary = try #require(DashboardBrowserTests.chromium)
        try await LiveServer.with { server in
            let items: [JSONValue] = (0..<130).map { .string("item-\($0)") }
            let workflow = try await server.client.createWorkflow([
                "name": "mapped",
                "tasks": [
                    ["name": "fan", "component": "harmonia", "action": "echo", "for_each": .array(items), "input": ["message": "${item} at ${index}"]],
                ],
            ])
            let started = try await server.client.executeWorkflow(workflowID: workflow.workflowID)
            let done = try await server.client.waitForCompletion(executionID: started.executionID, timeout: .seconds(60))
            #expect(done.execution.status == .completed)
            let url = server.baseURL + "/ui#/executions/" + started.executionID
            try await Chromium.withPage(binary: binary, url: url) { page in
                try await page.waitUntil(
                    "the map task shown completed",
                    "document.body && document.body.dataset.ready === 'true' && document.querySelector('#dag .node[data-task=\"fan\"]')?.dataset.status === 'completed'")
                _ = try await page.evaluate("showTask('fan'); true")
                let rows = "document.querySelectorAll('#instances tr[data-index]')"
                try await page.waitUntil("the first page of instances", "\(rows).length === 100")
                #expect(try await page.evaluate("document.querySelector('#instances tr[data-index=\"7\"]').textContent.includes('item-7')") == true)
                #expect(try await page.evaluate("document.querySelector('#instances tr[data-index=\"7\"]').textContent.includes('item-7 at 7')") == true)
                #expect(try await page.evaluate("document.querySelector('#instances tr[data-index=\"7\"] .badge').textContent") == "completed")
                #expect(try await page.evaluate("document.querySelector('#instances p').textContent.includes('1–100 of 130')") == true)
                _ = try await page.evaluate("document.querySelector('#instances a.next').click(); true")
                try await page.waitUntil(
                    "the second page of instances",
                    "\(rows).length === 30 && document.querySelector('#instances tr[data-index=\"129\"]') !== null")
            }
        }
    }
}

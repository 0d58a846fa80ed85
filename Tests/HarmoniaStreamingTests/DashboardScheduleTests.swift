import Foundation
import HarmoniaClient
import HarmoniaCore
import Testing

@testable import HarmoniaServer

/// The Schedules panel in a real browser: a schedule is listed with its trigger and next
/// run; its button pauses it and resumes it, and the server's state proves each click.
@Suite(.timeLimit(.minutes(3)))
struct DashboardScheduleTests {
    @Test(.enabled(if: DashboardBrowserTests.runs, "chromium is not installed (apt-get install -y chromium)"))
    func pauseAndResumeByClicking() async throws {
        let binary = try #require(DashboardBrowserTests.chromium)
        try await LiveServer.with { server in
            let workflow = try await server.client.createWorkflow([
                "name": "scheduled", "tasks": [["name": "only", "component": "harmonia", "action": "noop"]],
            ])
            _ = try await server.client.createSchedule([
                "id": "nightly", "name": "Nightly", "workflow_id": .string(workflow.workflowID), "cron": "30 2 * * *",
                "timezone": "America/New_York",
            ])
            let client = server.client
            let states = FrameBox()
            try await Chromium.withPage(binary: binary, url: server.baseURL + "/ui", width: 1024, height: 768) { page in
                let row = "document.querySelector('#schedules tr[data-schedule=\"nightly\"]')"
                try await page.waitUntil(
                    "the schedule listed, active, with its next run",
                    "document.body && document.body.dataset.ready === 'true' && \(row)?.dataset.paused === 'false' && \(row).querySelector('.next-run').textContent !== 'paused'")
                #expect(try await page.evaluate("\(row).textContent.includes('30 2 * * * (America/New_York)')") == true)
                #expect(try await page.evaluate("\(row).querySelector('.next-run').title.split('\\n').length") == 5)
                _ = try await page.evaluate("\(row).querySelector('button.toggle').click(); true")
                try await page.waitUntil(
                    "the schedule shown paused", "\(row)?.dataset.paused === 'true' && \(row).querySelector('button.toggle').textContent === 'Resume'")
                _ = states.append(.bool(try await client.getSchedule(id: "nightly").paused))
                _ = try await page.evaluate("\(row).querySelector('button.toggle').click(); true")
                try await page.waitUntil("the schedule shown active again", "\(row)?.dataset.paused === 'false'")
                _ = states.append(.bool(try await client.getSchedule(id: "nightly").paused))
            }
            #expect(states.all == [true, false], "paused by the first click, resumed by the second")
        }
    }
}

import Foundation
import HarmoniaClient
import HarmoniaCore
import HummingbirdTesting
import Testing

/// `taskInstances` of `HarmoniaClient` against a live in-process server: a map task's
/// instances read back a page at a time, and its counts on the execution detail.
@Suite(.timeLimit(.minutes(2)))
struct HarmoniaClientInstancesTests {
    @Test func mapInstancesArePaged() async throws {
        try await LiveServer.with(mode: .live) { server in
            let client = try server.api
            let workflow = try await client.createWorkflow([
                "name": "client-map",
                "tasks": ["fan": ["component": "harmonia", "action": "echo", "for_each": [1, 2, 3, 4], "input": ["n": "${item}"]]],
            ])
            let started = try await client.executeWorkflow(workflowID: workflow.workflowID)
            let detail = try await client.waitForCompletion(executionID: started.executionID, timeout: .seconds(60), pollInterval: .milliseconds(20))
            #expect(detail.execution.status == .completed)
            #expect(detail.execution.instances["fan"]?.completed == 4)
            let page = try await client.taskInstances(executionID: started.executionID, taskID: "fan", offset: 2, limit: 5)
            #expect(page.counts.total == 4)
            #expect(page.instances.map(\.index) == [2, 3])
            #expect(page.instances.map(\.item) == [3, 4])
            #expect(page.instances.allSatisfy { $0.status == .completed && $0.startedAt != nil })
            await #expect(throws: HarmoniaClientError.self) {
                _ = try await client.taskInstances(executionID: started.executionID, taskID: "nope")
            }
        }
    }
}

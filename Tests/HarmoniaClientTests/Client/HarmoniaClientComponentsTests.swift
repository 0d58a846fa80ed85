import Foundation
import HarmoniaClient
import HarmoniaCore
import HummingbirdTesting
import Testing

/// The `/components` methods of `HarmoniaClient` against a live in-process server on a real
/// port, whose registry holds the built-in component and the test's `counted` component.
@Suite(.timeLimit(.minutes(2)))
struct HarmoniaClientComponentsTests {
    @Test func listsComponentsAndTheirActions() async throws {
        try await LiveServer.with(mode: .live) { server in
            let client = try server.api
            let list = try await client.listComponents()
            let builtin = try #require(list.component("harmonia"))
            #expect(builtin.source == "builtin")
            #expect(builtin.available)
            #expect(builtin.actions.contains("echo"))
            #expect(builtin.version == HarmoniaVersion.current)
            let counted = try #require(list.component("counted"))
            #expect(counted.actions == ["step"])
            #expect(list.refused.isEmpty)

            let actions = try await client.listComponentActions(component: "harmonia")
            #expect(actions.component == "harmonia")
            #expect(actions.actions.map(\.name).contains("sleep"))
            let step = try await client.getComponentAction(component: "counted", action: "step")
            #expect(step.name == "step")
            #expect(step.description == "records the call")
            let echo = try await client.getComponentAction(component: "harmonia", action: "echo")
            #expect(echo.inputSchema["type"] == "object")
        }
    }

    @Test func invokesActionsDirectly() async throws {
        try await LiveServer.with(mode: .live) { server in
            let client = try server.api
            let echoed = try await client.invokeComponentAction(component: "harmonia", action: "echo", input: ["message": "hi"])
            #expect(echoed.component == "harmonia")
            #expect(echoed.action == "echo")
            #expect(echoed.output["result"] == "hi")
            #expect(echoed.durationMS >= 0)
            let stepped = try await client.invokeComponentAction(component: "counted", action: "step")
            #expect(stepped.output["result"] == "step done")

            // The adapter's own code comes back; the built-in component's failures come from
            // its input, so they are 422 (a plugin component's failure is a 502: ComponentRoutesTests).
            let broken = await #expect(throws: HarmoniaClientError.self) {
                try await client.invokeComponentAction(
                    component: "harmonia", action: "fail", input: ["message": "boom", "code": "upstream_broke", "retryable": false])
            }
            #expect(broken?.code == "upstream_broke")
            #expect(broken?.status == 422)
            #expect(broken?.detail.contains("boom") == true)
            let refused = await #expect(throws: HarmoniaClientError.self) {
                try await client.invokeComponentAction(
                    component: "harmonia", action: "fail", input: ["message": "bad", "code": "invalid_input", "retryable": false])
            }
            #expect(refused?.code == "invalid_input")
            #expect(refused?.status == 422)
        }
    }

    @Test func unknownComponentsAndActionsAreNotFound() async throws {
        try await LiveServer.with(mode: .live) { server in
            let client = try server.api
            let noComponent = await #expect(throws: HarmoniaClientError.self) {
                try await client.listComponentActions(component: "nope")
            }
            #expect(noComponent?.code == "not_found")
            #expect(noComponent?.status == 404)
            let noAction = await #expect(throws: HarmoniaClientError.self) {
                try await client.getComponentAction(component: "harmonia", action: "nope")
            }
            #expect(noAction?.code == "not_found")
            let noRun = await #expect(throws: HarmoniaClientError.self) {
                try await client.invokeComponentAction(component: "nope", action: "echo")
            }
            #expect(noRun?.status == 404)
            // A name holding a slash is escaped: it cannot walk to another action's route.
            let odd = await #expect(throws: HarmoniaClientError.self) {
                try await client.getComponentAction(component: "harmonia", action: "echo/../sleep")
            }
            #expect(odd?.status == 404)
        }
    }

    /// Without a plugin manager (an embedded server) a reload changes nothing and reports
    /// the registered components as the catalog.
    @Test func reloadReportsTheCatalog() async throws {
        try await LiveServer.with(mode: .live) { server in
            let client = try server.api
            let report = try await client.reloadComponents()
            #expect(report.loaded.isEmpty)
            #expect(report.removed.isEmpty)
            #expect(report.componentsAdded.isEmpty)
            #expect(Set(report.catalog.components.map(\.name)) == ["harmonia", "counted"])
        }
    }
}

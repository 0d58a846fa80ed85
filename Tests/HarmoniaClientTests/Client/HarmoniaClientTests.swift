import Foundation
import HarmoniaClient
import HarmoniaCore
import HummingbirdTesting
import HarmoniaTestSupport
import Testing

/// Every `HarmoniaClient` method against a live in-process server on a real port (the SSE
/// stream has tests of its own). Each test drives one resource end to end the way an
/// application would.
@Suite(.timeLimit(.minutes(2)))
struct HarmoniaClientTests {
    @Test func serviceRoutes() async throws {
        try await LiveServer.with(mode: .live) { server in
            let client = try server.api
            #expect(try await client.health().status == "healthy")
            #expect(try await client.isReady())
            let status = try await client.status()
            #expect(status.activeExecutions == 0)
            let info = try await client.serviceInfo()
            #expect(info.endpoints.contains { $0.path == "/api/v1/templates/{id}/instantiate" })
            #expect(info.endpoints.contains { $0.path == "/api/v1/checkpoints/{id}/restore" })
            #expect(try await client.discovery().endpoint.hasPrefix("http://127.0.0.1:"))
            let scoped = try await HarmoniaClient.withClient(baseURL: client.baseURL) { try await $0.status() }
            #expect(scoped.ready)
        }
    }

    @Test func workflowsAndExecutions() async throws {
        try await LiveServer.with(mode: .live) { server in
            let client = try server.api
            let definition: JSONValue = [
                "name": "hello", "tasks": ["a": ["component": "harmonia", "action": "echo", "input": ["message": "${input.m}"]]],
            ]
            let created = try await client.createWorkflow(definition)
            let fromData = try await client.createWorkflow(Data(definition.jsonBytes()))
            #expect(created.workflowID != fromData.workflowID)
            #expect(try await client.getWorkflow(id: created.workflowID).definition.name == "hello")
            #expect(try await client.listWorkflows(name: "hello").count == 2)
            var renamed = definition
            if case .object(var members) = renamed {
                members["name"] = "hello2"
                renamed = .object(members)
            }
            #expect(try await client.updateWorkflow(id: created.workflowID, renamed).definition.version == 2)

            let run = try await client.executeWorkflow(workflowID: created.workflowID, input: ["m": "hi"], idempotencyKey: "k1")
            let again = try await client.executeWorkflow(workflowID: created.workflowID, input: ["m": "hi"], idempotencyKey: "k1")
            #expect(again.executionID == run.executionID)
            let done = try await client.waitForCompletion(executionID: run.executionID, timeout: .seconds(40), pollInterval: .milliseconds(20))
            #expect(done.execution.status == .completed)
            #expect(done.execution.tasks?["a"]?.output?["result"] == "hi")
            #expect(try await client.getExecution(id: run.executionID).execution.status == .completed)
            #expect(try await client.getWorkflowStatus(executionID: run.executionID).execution.id == run.executionID)
            let viaRoute = try await client.startWorkflow(id: created.workflowID, input: ["m": "v1"], workflowVersion: 1)
            #expect(viaRoute.execution.record.workflowVersion == 1)
            _ = try await client.waitForCompletion(executionID: viaRoute.executionID, timeout: .seconds(40), pollInterval: .milliseconds(20))
            #expect(try await client.listExecutions(status: .completed, workflowID: created.workflowID).count == 2)
            let events = try await client.allEvents(executionID: run.executionID)
            #expect(events.first?.type == .workflowStarted)
            #expect(events.last?.type == .workflowCompleted)
            let page = try await client.events(executionID: run.executionID, afterSeq: 1, limit: 2)
            #expect(page.events.map(\.seq) == [2, 3])

            #expect(try await client.deleteWorkflow(id: fromData.workflowID).deleted)
            let gone = await #expect(throws: HarmoniaClientError.self) { try await client.getWorkflow(id: fromData.workflowID) }
            #expect(gone?.code == "not_found")
            #expect(gone?.status == 404)
        }
    }

    @Test func pauseResumeAndCancel() async throws {
        try await LiveServer.with(mode: .live) { server in
            let client = try server.api
            server.counter.hold("t2")
            let workflow = try await client.createWorkflow(countedChainJSON(3))
            let run = try await client.executeWorkflow(workflowID: workflow.workflowID)
            try await eventually("t2 running") { try await client.getExecution(id: run.executionID).execution.tasks?["t2"]?.status == .running }
            #expect(try await client.pauseWorkflow(executionID: run.executionID).status == .paused)
            #expect(try await client.resumeWorkflow(executionID: run.executionID).status == .running)
            #expect(try await client.cancelWorkflow(executionID: run.executionID, reason: "enough").status == .canceled)
            let late = await #expect(throws: HarmoniaClientError.self) { try await client.resumeWorkflow(executionID: run.executionID) }
            #expect(late?.code == "invalid_state")
            #expect(late?.status == 409)
        }
    }

    @Test func signals() async throws {
        try await LiveServer.with(mode: .live) { server in
            let client = try server.api
            let workflow = try await client.createWorkflow([
                "name": "approval",
                "tasks": ["approve": ["component": "harmonia", "action": "wait_for_signal", "input": ["name": "approval"]]],
            ])
            let run = try await client.executeWorkflow(workflowID: workflow.workflowID)
            try await eventually("the task waits") {
                try await client.getExecution(id: run.executionID).execution.tasks?["approve"]?.status == .running
            }
            let bad = await #expect(throws: HarmoniaClientError.self) {
                try await client.sendSignal(executionID: run.executionID, name: "no spaces", payload: 1)
            }
            #expect(bad?.status == 400 && bad?.path == "name")
            let sent = try await client.sendSignal(executionID: run.executionID, name: "approval", payload: ["ok": true])
            #expect(sent.consumedBy == "approve" && sent.status == "consumed")
            let done = try await client.waitForCompletion(executionID: run.executionID, timeout: .seconds(40), pollInterval: .milliseconds(20))
            #expect(done.execution.tasks?["approve"]?.output == ["ok": true])
            let late = await #expect(throws: HarmoniaClientError.self) {
                try await client.sendSignal(executionID: run.executionID, name: "approval")
            }
            #expect(late?.code == "invalid_state" && late?.status == 409)
        }
    }

    @Test func templates() async throws {
        try await LiveServer.with(mode: .live) { server in
            let client = try server.api
            let greeting = try await client.createTemplate(TemplateBodies.greeting)
            let typed = try await client.createTemplate(
                name: "typed", definition: ["tasks": ["a": ["component": "harmonia", "action": "echo", "input": ["message": "${params.m}"]]]],
                parameters: ["m": TemplateParameter(type: .string, defaultValue: "hey", maxLength: 10)],
                description: "typed parameters", tags: ["typed"])
            #expect(typed.template.parameters["m"]?.maxLength == 10)
            let workflow = try await client.createWorkflow(["name": "base", "tasks": ["a": ["component": "harmonia", "action": "noop"]]])
            let copied = try await client.createTemplate(fromWorkflowID: workflow.workflowID, workflowVersion: 1, name: "copy", tags: ["copied"])
            #expect(copied.template.sourceWorkflowID == workflow.workflowID)

            #expect(try await client.listTemplates().count == 3)
            #expect(try await client.listTemplates(tag: "typed").templates.map(\.templateID) == [typed.templateID])
            #expect(try await client.listTemplates(name: "copy", limit: 1, offset: 0).count == 1)
            #expect(try await client.getTemplate(id: greeting.templateID).template.name == "greeting")

            // Bad values: a typed error whose problems name each parameter.
            let error = await #expect(throws: HarmoniaClientError.self) {
                try await client.instantiateTemplate(id: greeting.templateID, parameterValues: ["times": 0])
            }
            #expect(error?.code == "invalid_parameters")
            #expect(error?.status == 400)
            #expect(Set(error?.problems.compactMap(\.path) ?? []) == ["parameter_values.who", "parameter_values.times"])

            let instance = try await client.instantiateTemplate(
                id: greeting.templateID, parameterValues: ["who": "Ada"], name: "greet-ada")
            #expect(instance.workflow.definition.name == "greet-ada")
            let run = try await client.executeWorkflow(workflowID: instance.workflowID, input: ["extra": "!"])
            let done = try await client.waitForCompletion(executionID: run.executionID, timeout: .seconds(40), pollInterval: .milliseconds(20))
            #expect(done.execution.tasks?["hello"]?.output?["result"] == "Hello, Ada from eu!")

            let v2 = try await client.updateTemplate(id: typed.templateID, ["description": "second"])
            #expect(v2.template.version == 2)
            #expect(try await client.getTemplate(id: typed.templateID, version: 1).template.description == "typed parameters")
            let pinned = try await client.instantiateTemplate(id: typed.templateID, templateVersion: 1)
            #expect(pinned.templateVersion == 1)

            let document = try await client.exportTemplate(id: typed.templateID, version: 1)
            #expect(document.format == 1)
            let imported = try await client.importTemplate(document)
            #expect(imported.template.parameters == typed.template.parameters)
            let importedJSON = try await client.importTemplate(try HarmoniaClientTestsSupport.json(document))
            #expect(importedJSON.template.definition == typed.template.definition)

            #expect(try await client.deleteTemplate(id: imported.templateID).deleted)
            let gone = await #expect(throws: HarmoniaClientError.self) { try await client.getTemplate(id: imported.templateID) }
            #expect(gone?.code == "not_found")
        }
    }

    @Test func checkpoints() async throws {
        try await LiveServer.with(mode: .live) { server in
            let client = try server.api
            server.counter.hold("t4")
            let workflow = try await client.createWorkflow(countedChainJSON())
            let run = try await client.executeWorkflow(workflowID: workflow.workflowID)
            try await eventually("t4 running") { try await client.getExecution(id: run.executionID).execution.tasks?["t4"]?.status == .running }
            let checkpoint = try await client.createCheckpoint(executionID: run.executionID, reason: "after three")
            #expect(checkpoint.summary.completedTasks == ["t1", "t2", "t3"])
            #expect(try await client.getCheckpoint(id: checkpoint.checkpointID).checkpoint.seq == checkpoint.checkpoint.seq)
            try await client.cancelWorkflow(executionID: run.executionID)
            #expect(try await client.listCheckpoints(executionID: run.executionID).checkpoints.map(\.reason) == ["after three", "cancel"])

            server.counter.release("t4")
            let restored = try await client.restoreFromCheckpoint(checkpointID: checkpoint.checkpointID)
            #expect(restored.originalExecutionID == run.executionID)
            let done = try await client.waitForCompletion(executionID: restored.executionID, timeout: .seconds(40), pollInterval: .milliseconds(20))
            #expect(done.execution.status == .completed)
            #expect(server.counter.calls(in: restored.executionID) == ["t4", "t5"])

            let missing = await #expect(throws: HarmoniaClientError.self) { try await client.restoreFromCheckpoint(checkpointID: "nope") }
            #expect(missing?.code == "not_found")
        }
    }

    @Test func unreachableServersAreConnectionFailures() async throws {
        let client = HarmoniaClient(baseURL: "http://127.0.0.1:1", requestTimeout: .seconds(5))
        let error = await #expect(throws: HarmoniaClientError.self) { try await client.health() }
        #expect(error?.code == HarmoniaClientError.Code.connectionFailed)
        #expect(error?.status == 0)
        let scoped = await #expect(throws: HarmoniaClientError.self) {
            try await HarmoniaClient.withClient(baseURL: "http://127.0.0.1:1", connectTimeout: .seconds(2)) { try await $0.health() }
        }
        #expect(scoped?.code == HarmoniaClientError.Code.connectionFailed)
    }
}

enum HarmoniaClientTestsSupport {
    /// A wire type as the JSON a file would hold.
    static func json(_ value: some Encodable) throws -> JSONValue {
        try JSONValue.parse(Array(APICoding.makeEncoder().encode(value)))
    }
}

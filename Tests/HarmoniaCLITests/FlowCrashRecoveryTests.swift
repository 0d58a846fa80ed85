import Foundation
import HarmoniaClient
import Testing

/// `kill -9` of the real binary while a task waits for a signal, and while a child execution
/// runs: after the restart the wait goes on (a signal kept before the kill is still there),
/// and the parent's task is reattached to the same child, never a second one.
struct FlowCrashRecoveryTests {
    @Test("kill -9 during a wait for a signal; after restart the signal completes the execution", .timeLimit(.minutes(3)))
    func killNineDuringASignalWait() async throws {
        let binary = try #require(HarmoniaBinary.locate(), "harmonia binary not found \(HarmoniaBinary.searchDescription)")
        let dataDirectory = try TemporaryDirectory()
        defer { dataDirectory.remove() }

        let first = try await ServerProcess(binary: binary, dataDirectory: dataDirectory.path)
        defer { first.kill() }
        var api = first.client()
        let workflow = try await api.createWorkflow([
            "name": "approval-across-a-crash",
            "tasks": [
                "approve": ["component": "harmonia", "action": "wait_for_signal", "input": ["name": "approval"]],
                "confirm": ["component": "harmonia", "action": "wait_for_signal", "input": ["name": "confirm"], "depends_on": ["approve"]],
            ],
        ])
        let id = try await api.executeWorkflow(workflowID: workflow.workflowID).executionID
        try await pollUntil("the task waits for its signal", timeout: .seconds(30)) { [api] in
            try await api.getExecution(id: id).execution.tasks?["approve"]?.status == .running
        }
        let kept = try await api.sendSignal(executionID: id, name: "confirm", payload: ["early": true])
        #expect(kept.status == "pending")
        first.child.send(SIGKILL)
        #expect(try await first.child.waitForExit(timeout: .seconds(30)) == 128 + SIGKILL)

        let second = try await ServerProcess(binary: binary, dataDirectory: dataDirectory.path)
        defer { second.kill() }
        api = second.client()
        let waiting = try await api.getExecution(id: id)
        #expect(waiting.execution.status == .running)
        #expect(waiting.execution.tasks?["approve"]?.status == .running)
        #expect(waiting.execution.tasks?["approve"]?.attempt == 1, "the wait goes on; it is not a new attempt")
        let sent = try await api.sendSignal(executionID: id, name: "approval", payload: ["by": "ada"])
        #expect(sent.consumedBy == "approve")
        try await pollUntil("the execution completes", timeout: .seconds(60)) { [api] in
            try await api.getExecution(id: id).execution.status == .completed
        }
        let done = try await api.getExecution(id: id)
        #expect(done.execution.tasks?["approve"]?.output == ["by": "ada"])
        #expect(done.execution.tasks?["confirm"]?.output == ["early": true], "the signal kept before the kill was consumed")
        let events = try await api.allEvents(executionID: id)
        #expect(events.map(\.seq) == Array(1...Int64(events.count)))
        #expect(events.filter { $0.type == .taskCompleted }.compactMap(\.taskID).sorted() == ["approve", "confirm"])
        #expect(events.filter { $0.type == .signalReceived }.count == 2)
    }

    @Test("kill -9 while a child execution runs; after restart one child, and the parent completes", .timeLimit(.minutes(3)))
    func killNineDuringAChild() async throws {
        let binary = try #require(HarmoniaBinary.locate(), "harmonia binary not found \(HarmoniaBinary.searchDescription)")
        let dataDirectory = try TemporaryDirectory()
        defer { dataDirectory.remove() }

        let first = try await ServerProcess(binary: binary, dataDirectory: dataDirectory.path)
        defer { first.kill() }
        var api = first.client()
        let child = try await api.createWorkflow([
            "name": "child-across-a-crash",
            "tasks": ["w": ["component": "harmonia", "action": "wait_for_signal", "input": ["name": "go"]]],
        ])
        let parent = try await api.createWorkflow([
            "name": "parent-across-a-crash",
            "tasks": [
                "sub": ["component": "harmonia", "action": "run_workflow", "input": ["workflow_id": .string(child.workflowID)]],
                "after": ["component": "harmonia", "action": "echo", "input": ["message": "${tasks.sub.outputs.w}"], "depends_on": ["sub"]],
            ],
        ])
        let id = try await api.executeWorkflow(workflowID: parent.workflowID).executionID
        let childID = ChildExecutionID.make(parent: id, taskID: "sub", attempt: 1)
        try await pollUntil("the child waits", timeout: .seconds(30)) { [api] in
            (try? await api.getExecution(id: childID).execution.tasks?["w"]?.status) == .running
        }
        first.child.send(SIGKILL)
        #expect(try await first.child.waitForExit(timeout: .seconds(30)) == 128 + SIGKILL)

        let second = try await ServerProcess(binary: binary, dataDirectory: dataDirectory.path)
        defer { second.kill() }
        api = second.client()
        _ = try await api.sendSignal(executionID: childID, name: "go", payload: "from the child")
        try await pollUntil("the parent completes", timeout: .seconds(60)) { [api] in
            try await api.getExecution(id: id).execution.status == .completed
        }
        let done = try await api.getExecution(id: id)
        #expect(done.execution.tasks?["sub"]?.attempt == 1)
        #expect(done.execution.tasks?["after"]?.output?["result"] == "from the child")
        let children = try await api.listExecutions(workflowID: child.workflowID, limit: 10)
        #expect(children.executions.map(\.id) == [childID], "exactly one child")
        #expect(children.executions.first?.record.parent?.executionID == id)
    }
}

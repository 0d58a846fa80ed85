import Foundation
import HarmoniaCore
import Testing

/// Explain's reasons for the flow actions: a signal (with its due time) and a child
/// execution (with its id and status); neither makes an execution stuck.
struct ExecutionExplainerFlowTests {
    let definition = WorkflowDefinition(
        id: "wf", name: "flow",
        tasks: [
            TaskDefinition(id: "approve", component: "harmonia", action: "wait_for_signal", input: ["name": "approval"]),
            TaskDefinition(id: "sub", component: "harmonia", action: "run_workflow", input: ["workflow_id": "child"]),
        ])

    func state() -> ExecutionState {
        let record = ExecutionRecord(id: "exec-1", workflowID: "wf", workflowVersion: 1, workflowName: "flow", status: .running)
        var state = ExecutionState(record: record, definition: definition)
        let due = Date(timeIntervalSince1970: 1_800_000_060)
        state.tasks["approve"] = TaskState(taskID: "approve", status: .running, attempt: 1, input: ["name": "approval"], timeoutAt: due)
        state.tasks["sub"] = TaskState(taskID: "sub", status: .running, attempt: 2, input: ["workflow_id": "child"])
        return state
    }

    @Test func signalAndChildWaitsAreExplainedAndCanProgress() {
        let child = ChildExecutionID.make(parent: "exec-1", taskID: "sub", attempt: 2)
        let explanation = ExecutionExplainer.explain(
            state(), definition: definition, childStatus: { $0 == child ? .paused : nil }, component: { _ in .unknown })
        let byID = Dictionary(uniqueKeysWithValues: explanation.tasks.map { ($0.taskID, $0) })
        #expect(byID["approve"]?.waitingFor == .signal(name: "approval", timeoutAt: Date(timeIntervalSince1970: 1_800_000_060)))
        #expect(byID["approve"]?.detail.contains("signal_timeout") == true)
        #expect(byID["sub"]?.waitingFor == .childExecution(id: child, status: .paused))
        #expect(byID["sub"]?.detail.contains(child) == true)
        #expect(explanation.canProgress)
        #expect(explanation.stuckTasks.isEmpty)
        #expect(explanation.summary.hasPrefix("2 task(s) running"))
    }

    @Test func aChildNotCreatedYetIsStarting() {
        let explanation = ExecutionExplainer.explain(state(), definition: definition, component: { _ in .available })
        let sub = explanation.tasks.first { $0.taskID == "sub" }
        #expect(sub?.detail.hasSuffix("(starting)") == true)
    }
}

import Foundation
import HarmoniaCore

/// Sample data and comparison helpers shared by the suite's tests.
enum Fixtures {
    /// A fixed instant with a millisecond part, so sub-second storage is exercised.
    static let epoch = Date(timeIntervalSince1970: 1_750_000_000.123)

    /// `epoch` plus `milliseconds`.
    static func at(_ milliseconds: Int) -> Date {
        Date(timeIntervalSince1970: epoch.timeIntervalSince1970 + Double(milliseconds) / 1000)
    }

    /// A value that holds every JSON type, including edge cases of each.
    static let everyJSONType: JSONValue = [
        "null": nil,
        "true": true,
        "false": false,
        "zero": 0,
        "integer": 42,
        "negative": -7,
        "int_max": .integer(Int.max),
        "int_min": .integer(Int.min),
        "double": 3.25,
        "tiny": 1e-7,
        "whole_double": .double(-2.0),
        "string": "plain",
        "escapes": "quote \" backslash \\ newline \n tab \t nul \u{0} bell \u{7}",
        "unicode": "héllo ☃ 🎉 日本",
        "empty_string": "",
        "array": [1, "two", 3.5, nil, [true, []]],
        "empty_array": [],
        "object": ["a": ["b": ["c": "deep"]], "list": [["k": 1]]],
        "empty_object": [:],
    ]

    /// A workflow with tasks that use every definition field. Avoids whole doubles inside
    /// JSON values, which Foundation's JSON coders cannot tell from integers.
    static func workflow(
        id: String = "wf-1", name: String = "build", version: Int = 1, taskIDs: [String] = ["a", "b"],
        updatedAt: Date = epoch
    ) -> WorkflowDefinition {
        let tasks = taskIDs.enumerated().map { index, taskID in
            TaskDefinition(
                id: taskID, name: "Task \(taskID)", component: index == 0 ? "harmonia" : "ergon",
                action: "echo", input: ["message": "${input.text}", "n": .integer(index), "ratio": 0.5],
                dependsOn: index == 0 ? [] : [taskIDs[index - 1]],
                condition: index == 0 ? nil : .string("tasks.\(taskIDs[index - 1]).status == 'completed'"),
                retryPolicy: index == 0 ? RetryPolicy(maxRetries: 2, retryOn: ["timeout"]) : nil,
                timeout: index == 0 ? 30 : nil, metadata: ["owner": .string("team-\(index)")])
        }
        return WorkflowDefinition(
            id: id, name: name, description: "version \(version) of \(name)", version: version, tasks: tasks,
            inputSchema: ["type": "object", "required": ["text"]], outputSchema: nil, failFast: version % 2 == 0,
            timeout: 600.5, maxConcurrency: 4, retryPolicy: RetryPolicy(),
            metadata: ["labels": ["ci", "nightly"]], createdAt: epoch, updatedAt: updatedAt)
    }

    /// A new execution with every task pending and one `workflow_started` event (seq 1).
    static func newExecution(
        id: String, workflowID: String = "wf-1", status: WorkflowStatus = .running,
        createdAt: Date = epoch, taskIDs: [String] = ["a", "b"], idempotencyKey: String? = nil
    ) -> ExecutionChange {
        let record = ExecutionRecord(
            id: id, workflowID: workflowID, workflowVersion: 1, workflowName: "build", status: status,
            input: ["text": "hi"], metadata: ["source": "conformance"], idempotencyKey: idempotencyKey,
            createdAt: createdAt, startedAt: createdAt, updatedAt: createdAt, lastSeq: 1)
        let started = ExecutionEvent(
            executionID: id, seq: 1, type: .workflowStarted, message: "started", timestamp: createdAt)
        return ExecutionChange(
            record: record, tasks: taskIDs.map { TaskState(taskID: $0) }, events: [started], isNew: true)
    }

    /// The change that completes `taskID` of `state` and appends one event; `state` becomes
    /// the state after it.
    static func completeTask(_ taskID: String, of state: inout ExecutionState, at time: Date) -> ExecutionChange {
        var task = state.tasks[taskID] ?? TaskState(taskID: taskID)
        task.status = .completed
        task.attempt += 1
        task.output = ["done": .string(taskID)]
        task.startedAt = time
        task.finishedAt = time
        state.tasks[taskID] = task
        state.record.lastSeq += 1
        state.record.updatedAt = time
        let event = ExecutionEvent(
            executionID: state.id, seq: state.record.lastSeq, type: .taskCompleted, taskID: taskID,
            details: ["output": task.output ?? .null], message: "task \(taskID) completed", timestamp: time)
        return ExecutionChange(record: state.record, tasks: [task], events: [event])
    }

    /// The state a new-execution change creates.
    static func state(after change: ExecutionChange) -> ExecutionState {
        ExecutionState(
            record: change.record,
            tasks: Dictionary(uniqueKeysWithValues: change.tasks.map { ($0.taskID, $0) }))
    }
}

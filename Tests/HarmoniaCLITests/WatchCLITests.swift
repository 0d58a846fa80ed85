import Foundation
import HarmoniaClient
import Testing

@testable import harmonia

/// `harmonia watch` and `harmonia run --watch` against a live server subprocess, and the
/// view they draw.
struct WatchCLITests {
    static let diamond = #"""
        {"name": "diamond", "tasks": {
          "start": {"component": "harmonia", "action": "noop"},
          "left": {"component": "harmonia", "action": "sleep", "input": {"seconds": 0.2}, "depends_on": ["start"]},
          "right": {"component": "harmonia", "action": "echo", "input": {"message": "hi"}, "depends_on": ["start"]},
          "join": {"component": "harmonia", "action": "noop", "depends_on": ["left", "right"]}
        }}
        """#

    @Test("run --watch follows the execution over SSE and exits with its outcome", .timeLimit(.minutes(2)))
    func runWatchExitsWithTheOutcome() async throws {
        let dataDirectory = try TemporaryDirectory()
        defer { dataDirectory.remove() }
        let server = try await ServerProcess(binary: try CLITests.binary(), dataDirectory: dataDirectory.path)
        defer { server.kill() }

        let good = try dataDirectory.write("diamond.json", Self.diamond)
        let ok = try await CLITests.harmonia(["run", good, "--watch", "--url", server.baseURL])
        #expect(ok.status == 0, "stdout:\n\(ok.stdout)\nstderr:\n\(ok.stderr)")
        // Piped, so one line per change, then the final table.
        #expect(ok.stdout.contains("task_completed join"))
        #expect(ok.stdout.contains("[##############################] 4/4 completed"))
        for task in ["start", "left", "right", "join"] {
            #expect(ok.stdout.contains("✓ \(task)"), "\(task) in:\n\(ok.stdout)")
        }

        let bad = try dataDirectory.write(
            "fail.json",
            #"{"name": "fails", "tasks": {"boom": {"component": "harmonia", "action": "fail", "input": {"message": "kaboom"}}, "after": {"component": "harmonia", "action": "noop", "depends_on": ["boom"]}}}"#)
        let failed = try await CLITests.harmonia(["run", bad, "--watch", "--url", server.baseURL])
        #expect(failed.status == 1, "stdout:\n\(failed.stdout)\nstderr:\n\(failed.stderr)")
        #expect(failed.stdout.contains("2/2 failed"))
        #expect(failed.stdout.contains("kaboom"))

        // watch of a finished execution: the final view once; an unknown id is an error.
        let started = try await server.client().executeWorkflow(
            workflowID: try await server.client().listWorkflows(name: "diamond").workflows[0].workflowID)
        _ = try await server.client().waitForCompletion(executionID: started.executionID, timeout: .seconds(30))
        let watched = try await CLITests.harmonia(["watch", started.executionID, "--url", server.baseURL])
        #expect(watched.status == 0)
        #expect(watched.stdout.components(separatedBy: "4/4 completed").count == 2, "\(watched.stdout)")
        let unknown = try await CLITests.harmonia(["watch", "no-such-id", "--url", server.baseURL])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("not_found"))
    }

    @Test("the view counts finished tasks and ignores replayed history of a finished task")
    func viewAppliesEvents() throws {
        let now = Date()
        let record = ExecutionRecord(workflowID: "w", workflowVersion: 1, workflowName: "pair", input: .emptyObject)
        let definition = try DefinitionParser.decode([
            "name": "pair",
            "tasks": [
                ["name": "a", "component": "harmonia", "action": "noop"],
                ["name": "b", "component": "harmonia", "action": "noop", "depends_on": ["a"]],
            ],
        ])
        var state = ExecutionState(record: record, definition: definition)
        state.tasks["a"]?.status = .completed
        state.tasks["a"]?.attempt = 1
        var view = WatchView(ExecutionDetail(state, definition: definition))
        #expect(view.done == 1)
        func event(_ seq: Int64, _ type: EventType, _ task: String?, _ details: JSONValue = .emptyObject) -> ExecutionEvent {
            ExecutionEvent(executionID: record.id, seq: seq, type: type, taskID: task, details: details, message: type.rawValue, timestamp: now)
        }
        // Replayed from seq 0: a's start must not send it back to running.
        view.apply(event(1, .workflowStarted, nil))
        view.apply(event(2, .taskStarted, "a", ["attempt": 1]))
        #expect(view.tasks["a"]?.status == .completed)
        view.apply(event(4, .taskStarted, "b", ["attempt": 1]))
        #expect(view.render()[0].contains("1/2 running"))
        view.apply(event(5, .taskCompleted, "b", ["duration": 0.1, "output": ["result": "fine"]]))
        view.apply(event(6, .workflowCompleted, nil))
        let lines = view.render()
        #expect(lines[0].hasPrefix("[##############################] 2/2 completed"))
        #expect(lines.contains { $0.contains("✓ b") && $0.contains("fine") })
    }
}

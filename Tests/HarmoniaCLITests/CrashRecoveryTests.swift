import Foundation
import HarmoniaClient
import Testing

/// `kill -9` of a busy server loses nothing: the foundation issue's recovery promise, checked
/// end to end against the real binary and its SQLite file.
struct CrashRecoveryTests {
    static let executionCount = 50
    static let stepIDs = ["step1", "step2", "step3", "step4", "step5"]

    /// A five-step chain; each step sleeps 1 s once the one before it completed, so one
    /// execution takes at least five seconds and the kill lands in the middle of all of them
    /// even on a loaded machine (with 0.2 s steps, a slow start of the 50 let some finish).
    static var chain: JSONValue {
        var tasks: [String: JSONValue] = [:]
        for (index, id) in stepIDs.enumerated() {
            var task: [String: JSONValue] = [
                "component": "harmonia", "action": "sleep",
                "input": ["seconds": 1.0],
            ]
            if index > 0 {
                task["depends_on"] = [.string(stepIDs[index - 1])]
            }
            tasks[id] = .object(task)
        }
        return ["name": "crash-recovery-chain", "tasks": .object(tasks)]
    }

    @Test("kill -9 while 50 five-step chains run; after restart all complete exactly once", .timeLimit(.minutes(3)))
    func killNineMidRunThenRecover() async throws {
        let binary = try #require(HarmoniaBinary.locate(), "harmonia binary not found \(HarmoniaBinary.searchDescription)")
        let dataDirectory = try TemporaryDirectory()
        defer { dataDirectory.remove() }

        // First life: start the work and kill the server in the middle of it.
        let first = try await ServerProcess(binary: binary, dataDirectory: dataDirectory.path)
        defer { first.kill() }
        var api = first.client()
        let workflow = try await api.createWorkflow(Self.chain)
        let ids = try await Self.startExecutions(api, workflowID: workflow.workflowID)

        // Normally none has finished when the first tasks have completed. A test task that
        // waited seconds for a thread (the whole suite runs in parallel) may see a few
        // finished: they are checked after the restart like the others, and the kill still
        // lands in the middle of the rest; only with every execution finished is there no test.
        try await pollUntil("some tasks completed while executions are still running", timeout: .seconds(30)) { [api] in
            let page = try await api.listExecutions(workflowID: workflow.workflowID, limit: 200)
            let finished = page.executions.filter { $0.status.isTerminal }
            guard finished.count < Self.executionCount else {
                throw PollTimeout(description: "all executions finished before the kill; the test needs them mid-run")
            }
            if !finished.isEmpty { return true }
            for id in ids.prefix(5) where try await api.getExecution(id: id).summary.completed > 0 {
                return true
            }
            return false
        }
        first.child.send(SIGKILL)
        let killedStatus = try await first.child.waitForExit(timeout: .seconds(30))
        #expect(killedStatus == 128 + SIGKILL, "the server should have died of SIGKILL")

        // Second life on the same data directory: recovery must finish every execution.
        let second = try await ServerProcess(binary: binary, dataDirectory: dataDirectory.path)
        defer { second.kill() }
        api = second.client()
        try await pollUntil("all \(Self.executionCount) executions to complete after restart", timeout: .seconds(60), interval: .milliseconds(50)) { [api] in
            let page = try await api.listExecutions(workflowID: workflow.workflowID, limit: 200)
            let failed = page.executions.filter { $0.status == .failed || $0.status == .canceled }
            if let bad = failed.first {
                let detail = try await api.getExecution(id: bad.id)
                throw PollTimeout(description: "execution \(bad.id) ended \(bad.status.rawValue): \(detail.execution.record.error.map { "\($0.code): \($0.message)" } ?? "no error recorded")")
            }
            return page.executions.count == Self.executionCount && page.executions.allSatisfy { $0.status == .completed }
        }

        var redispatched = 0
        for id in ids {
            redispatched += try await Self.checkExactlyOnce(api, executionID: id)
        }
        // Tasks sleeping at the moment of the kill must have been dispatched again.
        #expect(redispatched > 0, "no task shows a raised attempt: recovery did not re-dispatch in-flight work")
    }

    /// Creates the executions concurrently so that all of them are under way before the
    /// first one could finish.
    static func startExecutions(_ api: HarmoniaClient, workflowID: String) async throws -> [String] {
        try await withThrowingTaskGroup(of: String.self) { group in
            for n in 0..<executionCount {
                group.addTask {
                    try await api.executeWorkflow(workflowID: workflowID, input: ["n": .integer(n)]).executionID
                }
            }
            var ids: [String] = []
            for try await id in group { ids.append(id) }
            return ids
        }
    }

    /// Checks one finished execution's tasks and log; returns how many of its tasks ran more
    /// than one attempt.
    static func checkExactlyOnce(_ api: HarmoniaClient, executionID id: String) async throws -> Int {
        let detail = try await api.getExecution(id: id)
        let tasks = try #require(detail.execution.tasks, "execution \(id) has no tasks in its detail view")
        #expect(Set(tasks.keys) == Set(stepIDs), "execution \(id) tasks")
        for (taskID, task) in tasks {
            #expect(task.status == .completed, "execution \(id) task \(taskID) is \(task.status.rawValue)")
            #expect(task.output != nil, "execution \(id) task \(taskID) has no output")
        }

        let events = try await api.allEvents(executionID: id)
        #expect(events.map(\.seq) == Array(1...Int64(events.count)), "execution \(id): seq must be 1, 2, 3... without gaps")
        let completions = events.filter { $0.type == .taskCompleted }.compactMap(\.taskID)
        #expect(completions.sorted() == stepIDs, "execution \(id): exactly one task_completed per task, got \(completions)")
        let terminal = events.filter { $0.type.isTerminal }
        #expect(terminal.map(\.type) == [.workflowCompleted], "execution \(id): exactly one terminal event")
        #expect(events.last?.type == .workflowCompleted, "execution \(id): the terminal event comes last")
        return tasks.values.filter { $0.attempt > 1 }.count
    }
}

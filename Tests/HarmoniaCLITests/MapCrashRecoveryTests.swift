import Foundation
import HarmoniaClient
import Testing

/// `kill -9` in the middle of a map task: after the restart only the unfinished instances
/// run again, and no instance that had finished runs a second time. End to end against the
/// real binary and its SQLite file.
struct MapCrashRecoveryTests {
    static let items = 40

    /// `fan` sleeps 0.4 s per item, four at a time: about four seconds in all, so the kill
    /// lands in the middle of the map even on a loaded machine.
    static var definition: JSONValue {
        [
            "name": "map-crash-recovery",
            "tasks": [
                "fan": [
                    "component": "harmonia", "action": "sleep", "for_each": .array((0..<items).map { .integer($0) }),
                    "max_concurrency": 4, "input": ["seconds": 0.4],
                ],
                "after": ["component": "harmonia", "action": "transform", "input": ["value": "${tasks.fan.output}"]],
            ],
        ]
    }

    @Test("kill -9 in the middle of a map: finished instances never run again, the rest run once more", .timeLimit(.minutes(3)))
    func killNineMidMap() async throws {
        let binary = try #require(HarmoniaBinary.locate(), "harmonia binary not found \(HarmoniaBinary.searchDescription)")
        let dataDirectory = try TemporaryDirectory()
        defer { dataDirectory.remove() }

        let first = try await ServerProcess(binary: binary, dataDirectory: dataDirectory.path)
        defer { first.kill() }
        var api = first.client()
        let workflow = try await api.createWorkflow(Self.definition)
        let id = try await api.executeWorkflow(workflowID: workflow.workflowID, input: [:]).executionID
        try await pollUntil("some instances completed while the map runs", timeout: .seconds(60)) { [api] in
            let events = try await api.allEvents(executionID: id)
            guard !events.contains(where: { $0.type.isTerminal }) else {
                throw PollTimeout(description: "the execution finished before the kill; the test needs it mid-map")
            }
            return events.filter { $0.type == .taskInstanceCompleted }.count >= 8
        }
        first.child.send(SIGKILL)
        let killedStatus = try await first.child.waitForExit(timeout: .seconds(30))
        #expect(killedStatus == 128 + SIGKILL, "the server should have died of SIGKILL")

        // What the store holds after the kill: the instances that had finished.
        let second = try await ServerProcess(binary: binary, dataDirectory: dataDirectory.path)
        defer { second.kill() }
        api = second.client()
        try await pollUntil("the execution to complete after restart", timeout: .seconds(90), interval: .milliseconds(50)) { [api] in
            let status = try await api.getExecution(id: id).execution.status
            if status == .failed || status == .canceled {
                throw PollTimeout(description: "execution \(id) ended \(status.rawValue)")
            }
            return status == .completed
        }

        let events = try await api.allEvents(executionID: id)
        #expect(events.map(\.seq) == Array(1...Int64(events.count)), "seq must be 1, 2, 3... without gaps")
        let recoveryMarker = try #require(
            events.firstIndex { $0.type == .stateChanged && $0.details["reason"] == "recovered" }, "no recovery marker in the log")
        func index(_ event: ExecutionEvent) -> Int? { event.details["index"]?.intValue }
        let finishedBefore = Set(events[..<recoveryMarker].filter { $0.type == .taskInstanceCompleted }.compactMap(index))
        let startedAfter = events[recoveryMarker...].filter { $0.type == .taskInstanceStarted }.compactMap(index)
        #expect(!finishedBefore.isEmpty)
        #expect(finishedBefore.intersection(startedAfter).isEmpty, "finished instances ran again: \(finishedBefore.intersection(startedAfter).sorted())")
        let completions = events.filter { $0.type == .taskInstanceCompleted }.compactMap(index)
        #expect(completions.sorted() == Array(0..<Self.items), "exactly one completion per instance")
        #expect(events.contains { $0.type == .taskInstanceStarted && $0.details["recovered"] == true }, "in-flight instances dispatched again")
        #expect(events.filter { $0.type.isTerminal }.map(\.type) == [.workflowCompleted])

        let detail = try await api.getExecution(id: id)
        let counts = try #require(detail.execution.instances["fan"])
        #expect(counts.total == Self.items)
        #expect(counts.completed == Self.items)
        #expect(detail.execution.tasks?["fan"]?.output?.arrayValue?.count == Self.items)
    }
}

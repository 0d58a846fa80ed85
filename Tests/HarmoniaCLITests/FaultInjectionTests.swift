import Foundation
import HarmoniaClient
import NIOHTTP1
import Testing

/// The fault-injecting C adapter (`Plugins/FaultInjectionC`) under the real server: every
/// misbehaviour an adapter can show at the ABI ends each execution exactly once, with the
/// outcome the engine promises (issue "adapters can't take Harmonia down", build item 5).
/// Each fault runs in both isolation modes (`in_process`, `process`). In process a crashing
/// adapter ends the server, the documented limit (docs/plugin-abi.md §3.4); under
/// `isolation: process` it ends only its plugin host: its own task fails as retryable
/// `component_crashed`, a retry succeeds after the host restarts, and a workflow on another
/// component runs on untouched.
@Suite(.timeLimit(.minutes(5)))
struct FaultInjectionTests {
    static let perFault = 5

    /// One fault: the task that injects it and what its execution must end as.
    struct Fault: Sendable {
        let name: String
        let task: JSONValue
        let status: WorkflowStatus
        let code: String?
        let attempts: Int
    }

    static let retries: JSONValue = ["max_retries": 3, "initial_delay": 0.05, "max_delay": 0.1]

    static let faults: [Fault] = [
        Fault(
            name: "latency", task: ["component": "faults", "action": "latency", "input": ["ms": 300]],
            status: .completed, code: nil, attempts: 1),
        Fault(
            name: "flaky", task: ["component": "faults", "action": "flaky", "input": ["fail_attempts": 2], "retry_policy": retries],
            status: .completed, code: nil, attempts: 3),
        Fault(
            name: "error", task: ["component": "faults", "action": "error", "input": ["code": "injected_failure"], "retry_policy": retries],
            status: .failed, code: "injected_failure", attempts: 1),
        Fault(
            name: "never",
            task: [
                "component": "faults", "action": "never", "timeout": 1,
                "retry_policy": ["max_retries": 1, "initial_delay": 0.05, "max_delay": 0.1],
            ],
            status: .failed, code: "timeout", attempts: 2),
        Fault(
            name: "twice", task: ["component": "faults", "action": "twice"], status: .completed, code: nil, attempts: 1),
        Fault(
            name: "malformed", task: ["component": "faults", "action": "malformed", "retry_policy": retries],
            status: .failed, code: "invalid_plugin_output", attempts: 1),
    ]

    static let isolations = ["in_process", "process"]

    static func server(_ base: TemporaryDirectory, isolation: String, example: Bool = false) async throws -> ServerProcess {
        let plugins = try PluginsCLITests.pluginDirectory(base)
        _ = try await CAdapter.build(CAdapter.faults, into: plugins, name: "libfaults.so")
        if example { _ = try await CAdapter.build(CAdapter.example, into: plugins, name: "libexample.so") }
        let config = try base.write(
            "harmonia.yaml",
            """
            plugins:
              directories: [\(plugins)]
            components:
              faults: {isolation: \(isolation)}
            \(example ? "  example: {isolation: \(isolation)}" : "")
            """)
        return try await ServerProcess(
            binary: try CLITests.binary(), dataDirectory: base.path + "/data", extraArguments: ["--config", config])
    }

    @Test("each injected fault ends every execution exactly once, with the promised outcome", arguments: isolations)
    func everyFaultEndsEachExecutionOnce(isolation: String) async throws {
        let base = try TemporaryDirectory(prefix: "harmonia-faults")
        defer { base.remove() }
        let server = try await Self.server(base, isolation: isolation)
        defer { server.kill() }
        let api = server.client()
        var started: [(Fault, String)] = []
        for fault in Self.faults {
            let workflow = try await api.createWorkflow(["name": .string("fault-\(fault.name)"), "tasks": ["t": fault.task]])
            for _ in 0..<Self.perFault {
                started.append((fault, try await api.executeWorkflow(workflowID: workflow.workflowID).executionID))
            }
        }
        for (fault, id) in started {
            var detail: ExecutionDetail?
            try await pollUntil("\(fault.name) execution \(id) to end", timeout: .seconds(60), interval: .milliseconds(100)) {
                detail = try await api.getExecution(id: id)
                return detail?.execution.record.status.isTerminal == true
            }
            let record = try #require(detail).execution
            let task = try #require(record.tasks?["t"], "\(fault.name): no task t")
            #expect(record.record.status == fault.status, "\(fault.name) \(id): \(String(describing: record.record.error))")
            #expect(task.error?.code == fault.code, "\(fault.name) \(id): \(String(describing: task.error))")
            #expect(task.attempt == fault.attempts, "\(fault.name) \(id): attempt \(task.attempt)")
            if fault.name == "twice" { #expect(task.output?["n"] == .integer(1), "the first completion wins") }
            let events = try await api.allEvents(executionID: id)
            #expect(events.map(\.seq) == Array(1...Int64(events.count)), "\(fault.name) \(id): seq must be gap-free")
            #expect(events.filter(\.type.isTerminal).count == 1, "\(fault.name) \(id): one end")
            #expect(events.filter { $0.type == .taskCompleted }.count == (fault.status == .completed ? 1 : 0), "\(fault.name) \(id)")
        }
        #expect(server.child.isRunning, "the server survives every fault but a crash")
    }

    @Test("in process, an adapter that aborts ends the whole server (the documented limit)")
    func anAbortingAdapterEndsTheServerInProcess() async throws {
        let base = try TemporaryDirectory(prefix: "harmonia-faults")
        defer { base.remove() }
        let server = try await Self.server(base, isolation: "in_process")
        defer { server.kill() }
        let client = server.client()
        let call = Task {
            try? await client.send(.POST, "/api/v1/components/faults/actions/crash", body: ["how": "abort"])
        }
        defer { call.cancel() }
        #expect(try await server.child.waitForExit(timeout: .seconds(60)) == 128 + SIGABRT)
    }

    @Test("under isolation: process a crash fails only its own task, retryably; the retry succeeds after the restart")
    func aCrashUnderProcessIsolationFailsOnlyItsOwnTask() async throws {
        let base = try TemporaryDirectory(prefix: "harmonia-faults")
        defer { base.remove() }
        let server = try await Self.server(base, isolation: "process", example: true)
        defer { server.kill() }
        let api = server.client()
        let steady = try await api.createWorkflow([
            "name": "steady", "tasks": ["s": ["component": "example", "action": "sleep", "input": ["seconds": 2]]],
        ])
        let crashy = try await api.createWorkflow([
            "name": "crashy",
            "tasks": [
                "c": [
                    "component": "faults", "action": "crash", "input": ["how": "segv", "crash_attempts": 1],
                    "retry_policy": ["max_retries": 3, "initial_delay": 0.05, "max_delay": 0.1],
                ]
            ],
        ])
        let steadyID = try await api.executeWorkflow(workflowID: steady.workflowID).executionID
        let crashyID = try await api.executeWorkflow(workflowID: crashy.workflowID).executionID
        for id in [crashyID, steadyID] {
            try await pollUntil("execution \(id) to end", timeout: .seconds(60), interval: .milliseconds(100)) {
                try await api.getExecution(id: id).execution.record.status.isTerminal
            }
        }
        let crashed = try await api.getExecution(id: crashyID).execution
        #expect(crashed.record.status == .completed, "\(String(describing: crashed.record.error))")
        #expect(crashed.tasks?["c"]?.attempt == 2)
        #expect(crashed.tasks?["c"]?.output?["attempt"] == .integer(2))
        let events = try await api.allEvents(executionID: crashyID)
        let failure = try #require(events.first { $0.type == .retryAttempted || $0.type == .taskFailed }, "\(events.map(\.type))")
        #expect(failure.details.jsonString().contains("component_crashed"), "\(failure.details.jsonString())")
        #expect(failure.details.jsonString().contains("signal 11"), "\(failure.details.jsonString())")
        let untouched = try await api.getExecution(id: steadyID).execution
        #expect(untouched.record.status == .completed)
        #expect(untouched.tasks?["s"]?.attempt == 1, "the other component's task ran once")
        #expect(server.child.isRunning, "the server survives its adapter's crash")
    }
}

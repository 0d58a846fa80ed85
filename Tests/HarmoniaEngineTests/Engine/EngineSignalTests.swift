import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaStorageSQLite
import HarmoniaTestSupport
import Testing

/// `harmonia.wait_for_signal` on a real engine and a real SQLite file.
struct EngineSignalTests {
    func wait(_ id: String, _ name: String, timeout: Double? = nil, after deps: [String] = []) -> TaskDefinition {
        var input: [String: JSONValue] = ["name": .string(name)]
        if let timeout { input["timeout"] = .double(timeout) }
        return TaskDefinition(id: id, component: "harmonia", action: "wait_for_signal", input: .object(input), dependsOn: deps)
    }

    func echo(_ id: String, _ message: String, after deps: [String]) -> TaskDefinition {
        TaskDefinition(id: id, component: "harmonia", action: "echo", input: ["message": .string(message)], dependsOn: deps)
    }

    @Test func aSignalCompletesTheWaitingTaskWithItsPayload() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(
                WorkflowDefinition(name: "approval", tasks: [wait("approve", "approval"), echo("report", "${tasks.approve.by}", after: ["approve"])]))
            let id = try await h.start(wf)
            try await h.waitFor(id) { $0.tasks["approve"]?.status == .running }
            let signal = try await h.engine.sendSignal(executionID: id, name: "approval", payload: ["by": "ada"])
            #expect(signal.consumedBy == "approve")
            let done = try await h.waitFor(id)
            #expect(done.record.status == .completed)
            #expect(done.tasks["approve"]?.output == ["by": "ada"])
            #expect(done.tasks["report"]?.output?["result"] == "ada")
            let events = try await h.events(id)
            let received = events.filter { $0.type == .signalReceived }
            #expect(received.count == 1)
            #expect(received.first?.details["name"] == "approval")
            expectWellFormedLog(events)
        }
    }

    @Test func aSignalSentEarlyIsKeptAndEachWaitConsumesOne() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(
                WorkflowDefinition(
                    name: "twice", tasks: [wait("gate", "open"), wait("w1", "go", after: ["gate"]), wait("w2", "go", after: ["w1"])]))
            let id = try await h.start(wf)
            try await h.waitFor(id) { $0.tasks["gate"]?.status == .running }
            let early = try await h.engine.sendSignal(executionID: id, name: "go", payload: 1)
            #expect(early.consumedBy == nil)
            #expect(try await h.store.execution(id: id)?.pendingSignals.map(\.id) == [early.id])
            _ = try await h.engine.sendSignal(executionID: id, name: "open", payload: .null)
            let waiting = try await h.waitFor(id) { $0.tasks["w2"]?.status == .running }
            #expect(waiting.tasks["w1"]?.output == 1)
            #expect(waiting.pendingSignals.isEmpty, "the early signal was consumed once")
            _ = try await h.engine.sendSignal(executionID: id, name: "go", payload: 2)
            let done = try await h.waitFor(id)
            #expect(done.record.status == .completed)
            #expect(done.tasks["w2"]?.output == 2)
        }
    }

    @Test func theTimeoutFailsTheTaskWithSignalTimeout() async throws {
        let clock = ManualEngineClock()
        let h = try await EngineHarness(clock: clock)
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(WorkflowDefinition(name: "impatient", tasks: [wait("w", "late", timeout: 30)]))
            let id = try await h.start(wf)
            try #require(await eventually("the signal timeout is armed") { clock.armed([30]) })
            clock.advance(by: 29)
            #expect(try await h.store.execution(id: id)?.tasks["w"]?.status == .running)
            clock.advance(by: 1)
            let done = try await h.waitFor(id)
            #expect(done.record.status == .failed)
            #expect(done.tasks["w"]?.error?.code == "signal_timeout")
            #expect(done.tasks["w"]?.error?.retryable == false)
            #expect(done.tasks["w"]?.error?.message.contains("late") == true)
        }
    }

    @Test func cancelWhileWaitingThenSignalsAreRefused() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(WorkflowDefinition(name: "cancel", tasks: [wait("w", "x")]))
            let id = try await h.start(wf)
            try await h.waitFor(id) { $0.tasks["w"]?.status == .running }
            try await h.engine.cancel(executionID: id)
            let done = try await h.waitFor(id)
            #expect(done.record.status == .canceled)
            #expect(done.tasks["w"]?.status == .canceled)
            let ended = await #expect(throws: HarmoniaError.self) { _ = try await h.engine.sendSignal(executionID: id, name: "x", payload: 1) }
            #expect(ended?.code == .invalidState)
            let unknown = await #expect(throws: HarmoniaError.self) {
                _ = try await h.engine.sendSignal(executionID: "no-such-execution", name: "x", payload: 1)
            }
            #expect(unknown?.code == .notFound)
            let bad = await #expect(throws: HarmoniaError.self) { _ = try await h.engine.sendSignal(executionID: id, name: "a/b", payload: 1) }
            #expect(bad?.code == .invalidRequest)
        }
    }

    @Test func aPayloadLargerThanATaskOutputMayBeIsRefused() async throws {
        var configuration = EngineConfiguration()
        configuration.maxTaskOutputBytes = 64
        let h = try await EngineHarness(configuration: configuration)
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(WorkflowDefinition(name: "small", tasks: [wait("w", "x")]))
            let id = try await h.start(wf)
            try await h.waitFor(id) { $0.tasks["w"]?.status == .running }
            let big = await #expect(throws: HarmoniaError.self) {
                _ = try await h.engine.sendSignal(executionID: id, name: "x", payload: .string(String(repeating: "y", count: 100)))
            }
            #expect(big?.code == .payloadTooLarge)
            #expect(big?.message.contains("max_task_output_bytes") == true)
            _ = try await h.engine.sendSignal(executionID: id, name: "x", payload: "fits")
            #expect(try await h.waitFor(id).tasks["w"]?.output == "fits")
        }
    }

    /// The loop stops without draining (as a crash would) while a task waits and a signal is
    /// kept; after the restart the wait goes on and the kept signal is still there.
    @Test func theWaitAndAKeptSignalSurviveARestart() async throws {
        let first = try await EngineHarness()
        defer { first.cleanUp() }
        let id = try await first.run { h in
            let wf = try await h.save(WorkflowDefinition(name: "restart", tasks: [wait("gate", "open"), wait("w", "go", after: ["gate"])]))
            let id = try await h.start(wf)
            try await h.waitFor(id) { $0.tasks["gate"]?.status == .running }
            _ = try await h.engine.sendSignal(executionID: id, name: "go", payload: "kept")
            return id
        }
        let second = try await EngineHarness(directory: first.directory)
        try await second.run { h in
            #expect(h.engine.status.recoveredExecutions == 1)
            let recovered = try await h.waitFor(id) { $0.tasks["gate"]?.status == .running }
            #expect(recovered.tasks["gate"]?.attempt == 1, "the wait goes on; no new attempt")
            _ = try await h.engine.sendSignal(executionID: id, name: "open", payload: .null)
            let done = try await h.waitFor(id)
            #expect(done.record.status == .completed)
            #expect(done.tasks["w"]?.output == "kept")
            expectWellFormedLog(try await h.events(id))
        }
    }
}

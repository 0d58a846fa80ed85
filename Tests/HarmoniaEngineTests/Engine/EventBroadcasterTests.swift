import Foundation
import HarmoniaCore
import HarmoniaEngine
import Synchronization
import Testing

/// Live fan-out of committed events.
@Suite(.timeLimit(.minutes(1)))
struct EventBroadcasterTests {
    @Test func subscribersSeeExactlyTheStoredLogInOrder() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(WorkflowDefinition(name: "three", tasks: [noop("a"), noop("b", after: ["a"]), noop("c", after: ["b"])]))
            // Subscribe to everything first, then start: the execution id is not known yet.
            let all = h.engine.events.subscribe(executionID: nil)
            let id = try await h.start(wf)
            var seen: [ExecutionEvent] = []
            for try await event in all.events where event.executionID == id {
                seen.append(event)
                if event.type.isTerminal { break }
            }
            all.cancel()
            // The store keeps millisecond timestamps; compare everything else exactly.
            let stored = try await h.events(id)
            #expect(seen.map(\.seq) == stored.map(\.seq))
            #expect(seen.map(\.type) == stored.map(\.type))
            #expect(seen.map(\.taskID) == stored.map(\.taskID))
            #expect(seen.map(\.details) == stored.map(\.details))
        }
    }

    @Test func observersGetEveryCommittedEventOnceInBatchesOfOneExecution() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        let batches = Mutex<[[ExecutionEvent]]>([])
        h.engine.events.addObserver { batch in batches.withLock { $0.append(batch) } }
        try await h.run { h in
            let wf = try await h.save(
                WorkflowDefinition(name: "fan", tasks: [noop("a")] + (0..<10).map { noop("b\($0)", after: ["a"]) }))
            let first = try await h.start(wf)
            let second = try await h.start(wf)
            try await h.waitFor(first)
            try await h.waitFor(second)
            // Observers run right after the commit the store already shows: poll for them.
            let deadline = Date().addingTimeInterval(30)
            func terminals() -> Int { batches.withLock { $0.flatMap { $0 }.filter(\.type.isTerminal).count } }
            while terminals() < 2, Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
            let observed = batches.withLock { $0 }
            #expect(observed.allSatisfy { batch in Set(batch.map(\.executionID)).count == 1 && !batch.isEmpty })
            for id in [first, second] {
                let seen = observed.flatMap { $0 }.filter { $0.executionID == id }
                let stored = try await h.events(id)
                #expect(seen.map(\.seq) == stored.map(\.seq), "observer saw \(seen.count) events of \(id), the log has \(stored.count)")
                #expect(seen.map(\.type) == stored.map(\.type))
            }
        }
    }

    @Test func aSubscriberThatNeverReadsIsDisconnectedWithoutSlowingTheEngine() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        try await h.run { h in
            let tasks = (0..<20).map { noop("t\($0)") }
            let wf = try await h.save(WorkflowDefinition(name: "wide", tasks: tasks))
            // The bound counts commits: one fits, the second does not.
            let stuck = h.engine.events.subscribe(executionID: nil, bufferSize: 1)
            let id = try await h.start(wf)
            let done = try await h.waitFor(id)
            #expect(done.record.status == .completed)
            var received = 0
            await #expect(throws: SubscriberLaggedError.self) {
                for try await _ in stuck.events { received += 1 }
            }
            // The first commit whole: workflow_started and the 20 task_started.
            #expect(received == 21)
            #expect(h.engine.events.subscriberCount == 0)
        }
    }

    @Test func perExecutionSubscriptionsOnlySeeTheirExecution() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        try await h.run { h in
            let wf = try await h.save(WorkflowDefinition(name: "nap", tasks: [TaskDefinition(id: "nap", component: "harmonia", action: "sleep", input: ["seconds": 0.05])]))
            let first = try await h.start(wf)
            let subscription = h.engine.events.subscribe(executionID: first)
            _ = try await h.start(wf)
            var ids = Set<String>()
            for try await event in subscription.events {
                ids.insert(event.executionID)
                if event.type.isTerminal { break }
            }
            #expect(ids == [first])
        }
    }
}

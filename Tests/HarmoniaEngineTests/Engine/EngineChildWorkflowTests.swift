import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaStorageSQLite
import HarmoniaTestSupport
import Testing

/// `harmonia.run_workflow` on a real engine and a real SQLite file.
struct EngineChildWorkflowTests {
    func runWorkflow(_ id: String, _ workflowID: String, input: JSONValue = .emptyObject, retry: RetryPolicy? = nil) -> TaskDefinition {
        TaskDefinition(
            id: id, component: "harmonia", action: "run_workflow", input: ["workflow_id": .string(workflowID), "input": input],
            retryPolicy: retry)
    }

    func wait(_ id: String, _ name: String, after deps: [String] = []) -> TaskDefinition {
        TaskDefinition(id: id, component: "harmonia", action: "wait_for_signal", input: ["name": .string(name)], dependsOn: deps)
    }

    func children(of id: String, _ h: EngineHarness) async throws -> [ExecutionRecord] {
        var query = ExecutionQuery(limit: 100)
        query.parentExecutionID = id
        return try await h.store.listExecutions(query)
    }

    @Test func theParentTaskCompletesWithTheChildsOutputs() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        try await h.run { h in
            let child = try await h.save(
                WorkflowDefinition(
                    id: "child", name: "child",
                    tasks: [TaskDefinition(id: "double", component: "harmonia", action: "transform", input: ["value": "${input.n}"])]))
            let parent = try await h.save(
                WorkflowDefinition(
                    name: "parent",
                    tasks: [
                        runWorkflow("sub", child.id, input: ["n": 21]),
                        TaskDefinition(
                            id: "use", component: "harmonia", action: "echo", input: ["message": "${tasks.sub.outputs.double.result}"],
                            dependsOn: ["sub"]),
                    ]))
            let id = try await h.start(parent)
            let done = try await h.waitFor(id)
            #expect(done.record.status == .completed)
            let kids = try await children(of: id, h)
            #expect(kids.count == 1)
            let kid = try #require(kids.first)
            #expect(kid.id == ChildExecutionID.make(parent: id, taskID: "sub", attempt: 1))
            #expect(kid.parent == ExecutionParent(executionID: id, taskID: "sub", depth: 1))
            #expect(kid.status == .completed)
            #expect(done.tasks["sub"]?.output?["execution_id"] == .string(kid.id))
            #expect(done.tasks["use"]?.output?["result"] == 21)
            expectWellFormedLog(try await h.events(id))
        }
    }

    @Test func aFailedChildFailsTheTaskAndARetryStartsANewChild() async throws {
        let clock = ManualEngineClock()
        let h = try await EngineHarness(clock: clock)
        defer { h.cleanUp() }
        try await h.run { h in
            let child = try await h.save(
                WorkflowDefinition(
                    id: "broken", name: "broken",
                    tasks: [TaskDefinition(id: "boom", component: "harmonia", action: "fail", input: ["message": "no", "retryable": false])]))
            let parent = try await h.save(
                WorkflowDefinition(
                    name: "parent",
                    tasks: [runWorkflow("sub", child.id, retry: RetryPolicy(maxRetries: 1, initialDelay: 5, maxDelay: 5, backoffMultiplier: 1, jitter: 0))]))
            let id = try await h.start(parent)
            try await h.waitFor(id) { $0.tasks["sub"]?.status == .retrying }
            try #require(await eventually("the retry is armed") { clock.armed([5]) })
            clock.advance(by: 5)
            let done = try await h.waitFor(id)
            #expect(done.record.status == .failed)
            #expect(done.tasks["sub"]?.error?.code == "child_execution_failed")
            #expect(done.tasks["sub"]?.attempt == 2)
            let kids = try await children(of: id, h)
            #expect(kids.count == 2)
            #expect(kids.allSatisfy { $0.status == .failed })
        }
    }

    @Test func cancelingTheParentCancelsTheChild() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        try await h.run { h in
            let child = try await h.save(WorkflowDefinition(id: "waits", name: "waits", tasks: [wait("w", "never")]))
            let parent = try await h.save(WorkflowDefinition(name: "parent", tasks: [runWorkflow("sub", child.id)]))
            let id = try await h.start(parent)
            let kidID = ChildExecutionID.make(parent: id, taskID: "sub", attempt: 1)
            try await h.waitFor(kidID) { $0.tasks["w"]?.status == .running }
            try await h.engine.cancel(executionID: id)
            #expect(try await h.waitFor(id).record.status == .canceled)
            let kid = try await h.waitFor(kidID)
            #expect(kid.record.status == .canceled)
            #expect(kid.record.error?.message.contains(id) == true)
        }
    }

    @Test func pauseAndResumeReachTheChild() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        try await h.run { h in
            let child = try await h.save(
                WorkflowDefinition(
                    id: "pausable", name: "pausable",
                    tasks: [wait("w", "go"), TaskDefinition(id: "after", component: "harmonia", action: "noop", dependsOn: ["w"])]))
            let parent = try await h.save(WorkflowDefinition(name: "parent", tasks: [runWorkflow("sub", child.id)]))
            let id = try await h.start(parent)
            let kidID = ChildExecutionID.make(parent: id, taskID: "sub", attempt: 1)
            try await h.waitFor(kidID) { $0.tasks["w"]?.status == .running }
            try await h.engine.pause(executionID: id)
            try await h.waitFor(kidID) { $0.record.status == .paused }
            _ = try await h.engine.sendSignal(executionID: kidID, name: "go", payload: 1)
            let held = try await h.waitFor(kidID) { $0.tasks["w"]?.status == .completed }
            #expect(held.tasks["after"]?.status == .pending, "a paused child dispatches nothing")
            try await h.engine.resume(executionID: id)
            #expect(try await h.waitFor(kidID).record.status == .completed)
            #expect(try await h.waitFor(id).record.status == .completed)
        }
    }

    @Test func recursionStopsAtTheDepthLimitNamingTheChain() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        try await h.run { h in
            let looping = try await h.save(WorkflowDefinition(id: "loop", name: "loop", tasks: [runWorkflow("again", "loop")]))
            let id = try await h.start(looping)
            #expect(try await h.waitFor(id).record.status == .failed)
            var chain = [id]
            while let next = try await children(of: chain.last!, h).first { chain.append(next.id) }
            #expect(chain.count == FlowAction.maxDepth + 1, "the top execution and \(FlowAction.maxDepth) generations of children")
            let deepest = try #require(try await h.store.execution(id: chain.last!))
            let error = try #require(deepest.tasks["again"]?.error)
            #expect(error.code == "workflow_depth_exceeded")
            #expect(error.retryable == false)
            #expect(error.message.contains("limit is \(FlowAction.maxDepth)"))
            #expect(error.message.contains(chain.joined(separator: " → ")))
            for kid in chain { #expect(try await h.store.execution(id: kid)?.record.status == .failed) }
        }
    }

    @Test func aMissingWorkflowFailsTheTaskForGoodNamingIt() async throws {
        let h = try await EngineHarness()
        defer { h.cleanUp() }
        try await h.run { h in
            let parent = try await h.save(
                WorkflowDefinition(name: "parent", tasks: [runWorkflow("sub", "nowhere", retry: RetryPolicy(maxRetries: 3, initialDelay: 0.01))]))
            let done = try await h.waitFor(try await h.start(parent))
            #expect(done.record.status == .failed)
            #expect(done.tasks["sub"]?.error?.code == "workflow_not_found")
            #expect(done.tasks["sub"]?.error?.message.contains("'nowhere'") == true)
            #expect(done.tasks["sub"]?.attempt == 1, "not retried")
        }
    }

    /// The loop stops without draining while the child runs; after the restart the parent's
    /// task finds the same child (no second one) and completes when it does.
    @Test func aRestartReattachesToTheSameChild() async throws {
        let first = try await EngineHarness()
        defer { first.cleanUp() }
        let id = try await first.run { h in
            let child = try await h.save(WorkflowDefinition(id: "waits", name: "waits", tasks: [wait("w", "go")]))
            let parent = try await h.save(WorkflowDefinition(name: "parent", tasks: [runWorkflow("sub", child.id)]))
            let id = try await h.start(parent)
            try await h.waitFor(ChildExecutionID.make(parent: id, taskID: "sub", attempt: 1)) { $0.tasks["w"]?.status == .running }
            return id
        }
        let second = try await EngineHarness(directory: first.directory)
        try await second.run { h in
            #expect(h.engine.status.recoveredExecutions == 2)
            let kidID = ChildExecutionID.make(parent: id, taskID: "sub", attempt: 1)
            _ = try await h.engine.sendSignal(executionID: kidID, name: "go", payload: "done")
            let done = try await h.waitFor(id)
            #expect(done.record.status == .completed)
            #expect(done.tasks["sub"]?.attempt == 1)
            #expect(done.tasks["sub"]?.output?["outputs"] == ["w": "done"])
            #expect(try await children(of: id, h).count == 1)
        }
    }
}

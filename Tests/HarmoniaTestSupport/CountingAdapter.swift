import Foundation
import HarmoniaCore
import Synchronization

/// A test component `counted` that records every call and can be told to hold or fail
/// particular tasks. Its `step` action returns `{"result": "<task id> done"}`. Shared by
/// the engine and client tests (this target exists so test targets need not copy it).
public final class CountingAdapter: ComponentAdapter, Sendable {
    public struct Call: Hashable, Sendable {
        public let executionID: String
        public let taskID: String
    }

    private struct State {
        var calls: [Call] = []
        var holding: Set<String> = []
        var failing: Set<String> = []
    }

    private let state = Mutex(State())

    public let component: String
    public let isSideEffectFree: Bool

    /// `isSideEffectFree` lets the engine start calls before their start is durable, as it
    /// does for the built-in component.
    public init(component: String = "counted", isSideEffectFree: Bool = false) {
        self.component = component
        self.isSideEffectFree = isSideEffectFree
    }
    public var actions: [ActionDescriptor] { [ActionDescriptor(name: "step", description: "records the call")] }

    /// Calls of `task` park until `release(task)` (then succeed) or cancellation.
    public func hold(_ task: String) { state.withLock { _ = $0.holding.insert(task) } }
    public func release(_ task: String) { state.withLock { _ = $0.holding.remove(task) } }
    /// Calls of `task` fail (not retryable).
    public func fail(_ task: String) { state.withLock { _ = $0.failing.insert(task) } }
    public func heal(_ task: String) { state.withLock { _ = $0.failing.remove(task) } }

    /// Task ids called for `executionID`, in call order.
    public func calls(in executionID: String) -> [String] {
        state.withLock { $0.calls.filter { $0.executionID == executionID }.map(\.taskID) }
    }

    public func invoke(_ invocation: Invocation) async -> InvocationResult {
        let (hold, fail) = state.withLock { state in
            state.calls.append(Call(executionID: invocation.executionID, taskID: invocation.taskID))
            return (state.holding.contains(invocation.taskID), state.failing.contains(invocation.taskID))
        }
        if fail { return .failure(TaskFailure(code: "broken", message: "\(invocation.taskID) is broken", retryable: false)) }
        if hold {
            // The gate is test control, polled; the behaviour under test is the engine's.
            while state.withLock({ $0.holding.contains(invocation.taskID) }) {
                do { try await Task.sleep(for: .milliseconds(5)) } catch {
                    return .failure(TaskFailure(.canceled, "held call canceled", retryable: false))
                }
            }
        }
        return .success(["result": .string("\(invocation.taskID) done")])
    }
}

/// A chain t1 → t2 → ... → tN of `counted.step` tasks.
public func countedChain(_ length: Int) -> WorkflowDefinition {
    WorkflowDefinition(
        name: "counted chain",
        tasks: (1...length).map { i in
            TaskDefinition(id: "t\(i)", component: "counted", action: "step", dependsOn: i == 1 ? [] : ["t\(i - 1)"])
        })
}

import HarmoniaCore
import Synchronization

/// A component with outside effects (the default) that, when called, looks up whether the
/// store already holds its task as running with this attempt: what must be true of every
/// call the engine makes to such a component.
final class DurabilityWitness: ComponentAdapter, Sendable {
    let store: any Store
    private let seen = Mutex<[String: Bool]>([:])

    init(store: any Store) { self.store = store }

    var component: String { "witness" }
    var actions: [ActionDescriptor] { [ActionDescriptor(name: "observe", description: "checks its start is stored")] }

    /// Per task id: whether its start was durable when it was called.
    var observations: [String: Bool] { seen.withLock { $0 } }

    func invoke(_ invocation: Invocation) async -> InvocationResult {
        let stored = try? await store.execution(id: invocation.executionID)?.tasks[invocation.taskID]
        let durable = stored?.status == .running && stored?.attempt == invocation.attempt
        seen.withLock { $0[invocation.taskID] = durable }
        return .success(.emptyObject)
    }
}

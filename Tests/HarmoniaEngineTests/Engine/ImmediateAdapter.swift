import HarmoniaCore
import Synchronization

/// A side-effect-free component `instant` whose `step` result is known at once; it counts
/// the calls that went through `invoke`, which the engine should not need.
final class ImmediateAdapter: ComponentAdapter, Sendable {
    private let invoked = Atomic<Int>(0)

    var component: String { "instant" }
    var isSideEffectFree: Bool { true }
    var actions: [ActionDescriptor] { [ActionDescriptor(name: "step", description: "answers at once")] }

    /// Calls that went through `invoke`.
    var invokeCalls: Int { invoked.load(ordering: .relaxed) }

    func immediateResult(action: String, input: JSONValue) -> InvocationResult? {
        .success(["at": "once"])
    }

    func invoke(_ invocation: Invocation) async -> InvocationResult {
        invoked.add(1, ordering: .relaxed)
        return .success(["at": "once"])
    }
}

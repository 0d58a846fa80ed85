import HarmoniaCore
import Synchronization

/// A side-effect-free component whose calls each wait for `release(call:)`, ignoring
/// cancellation, so a test decides when (and in what order) canceled calls report. The
/// first call fails; later ones succeed.
final class LateReportingAdapter: ComponentAdapter, Sendable {
    private struct State {
        var waiting: [Int: CheckedContinuation<Void, Never>] = [:]
        var released: Set<Int> = []
        var calls = 0
        var returned: Set<Int> = []
    }

    private let state = Mutex(State())

    var component: String { "late" }
    var isSideEffectFree: Bool { true }
    var actions: [ActionDescriptor] { [ActionDescriptor(name: "step", description: "waits to be released")] }

    var calls: Int { state.withLock { $0.calls } }
    func hasReturned(call: Int) -> Bool { state.withLock { $0.returned.contains(call) } }

    func release(call: Int) {
        let waiting = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.released.insert(call)
            return state.waiting.removeValue(forKey: call)
        }
        waiting?.resume()
    }

    func invoke(_ invocation: Invocation) async -> InvocationResult {
        let call = state.withLock { state -> Int in
            state.calls += 1
            return state.calls
        }
        await withCheckedContinuation { continuation in
            let released = state.withLock { state -> Bool in
                if state.released.contains(call) { return true }
                state.waiting[call] = continuation
                return false
            }
            if released { continuation.resume() }
        }
        state.withLock { _ = $0.returned.insert(call) }
        if call == 1 { return .failure(TaskFailure(code: "stale_call", message: "call 1 reported late", retryable: false)) }
        return .success(["call": .integer(call)])
    }
}

import Foundation
import HarmoniaEngine
import Synchronization

/// Virtual time for engine tests: `now()` moves only when the test calls `advance(by:)`,
/// which wakes every sleeper whose deadline it reaches. Timers, retries and timeouts then
/// fire exactly when the test says, with no real wait and no race against the machine's
/// load.
final class ManualEngineClock: EngineClock {
    private struct Sleeper {
        var deadline: Date
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var sleepers: [Int: Sleeper] = [:]
        /// Sleeps canceled before they were registered.
        var canceled: Set<Int> = []
        var nextID = 0
    }

    private let state: Mutex<State>

    init(start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        state = Mutex(State(now: start))
    }

    func now() -> Date { state.withLock { $0.now } }

    /// How long from now each waiting sleeper has left, soonest first.
    var pendingDelays: [Double] {
        state.withLock { state in state.sleepers.values.map { $0.deadline.timeIntervalSince(state.now) }.sorted() }
    }

    /// Whether exactly these delays are pending (to a microsecond: dates are doubles).
    func armed(_ delays: [Double]) -> Bool {
        let pending = pendingDelays
        return pending.count == delays.count && zip(pending, delays.sorted()).allSatisfy { abs($0 - $1) < 1e-6 }
    }

    func sleep(until deadline: Date) async throws {
        let id = state.withLock { state -> Int in
            defer { state.nextID += 1 }
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLock { state in
                    if state.canceled.remove(id) != nil { return .failure(CancellationError()) }
                    if deadline <= state.now { return .success(()) }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                if let sleeper = state.sleepers.removeValue(forKey: id) { return sleeper }
                state.canceled.insert(id)
                return nil
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes the sleepers it reaches.
    func advance(by seconds: Double) {
        let due = state.withLock { state -> [Sleeper] in
            state.now = state.now.addingTimeInterval(seconds)
            let now = state.now
            let ids = state.sleepers.filter { $0.value.deadline <= now }.map(\.key)
            return ids.compactMap { state.sleepers.removeValue(forKey: $0) }
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}

import Foundation
import HarmoniaCore
import Synchronization

/// The engine's timers: a heap of due times served by one task, instead of one sleeping
/// task per timer.
///
/// A fan-out of 10,000 tasks with timeouts used to start 10,000 sleeping tasks, each a
/// cancellation when its task finished. Here arming and disarming are a heap push and a
/// dictionary write under a lock; one task (`run()`, owned by `Engine.run()`) sleeps until
/// the earliest due time on the engine's clock, is woken early when an earlier timer is
/// armed, and sends what came due to the mailbox as `.timer` inputs. A disarmed or re-armed
/// timer's old entry stays in the heap and is skipped when it comes up (the heap is
/// compacted when such entries outnumber the live ones).
final class TimerService: Sendable {
    struct Key: Hashable, Sendable {
        var executionID: String
        var timer: SchedulerTimer
    }

    private struct Entry {
        var due: Date
        var generation: UInt64
        var key: Key

        func precedes(_ other: Entry) -> Bool {
            due < other.due || (due == other.due && generation < other.generation)
        }
    }

    private struct State {
        var heap: [Entry] = []
        /// By execution, the generation of each timer's live arming; entries of other
        /// generations are stale.
        var armed: [String: [SchedulerTimer: UInt64]] = [:]
        var armedCount = 0
        var nextGeneration: UInt64 = 0
        /// Bumped by every arming, so the serving task notices one that came in between
        /// looking at the heap and going to sleep.
        var version: UInt64 = 0
        /// The serving task's wake-up while it sleeps.
        var wake: CheckedContinuation<Void, Never>?
        var sleepingUntil: Date?
    }

    private let state = Mutex(State())
    private let mailbox: Mailbox<EngineInput>
    private let clock: any EngineClock

    init(mailbox: Mailbox<EngineInput>, clock: any EngineClock) {
        self.mailbox = mailbox
        self.clock = clock
    }

    /// Timers armed and not yet fired or disarmed.
    var count: Int { state.withLock { $0.armedCount } }

    /// Arms `timer` of `executionID` for `due`, replacing an earlier arming of it.
    func arm(_ timer: SchedulerTimer, executionID: String, due: Date) {
        let wake: CheckedContinuation<Void, Never>? = state.withLock { state in
            let key = Key(executionID: executionID, timer: timer)
            let generation = state.nextGeneration
            state.nextGeneration += 1
            if state.armed[executionID, default: [:]].updateValue(generation, forKey: timer) == nil { state.armedCount += 1 }
            Self.push(Entry(due: due, generation: generation, key: key), into: &state.heap)
            state.version += 1
            // Wake the sleeper only when this timer is due before it would wake anyway.
            guard let until = state.sleepingUntil, due >= until else {
                defer { state.wake = nil; state.sleepingUntil = nil }
                return state.wake
            }
            return nil
        }
        wake?.resume()
    }

    /// Forgets `timer` of `executionID`, if armed.
    func disarm(_ timer: SchedulerTimer, executionID: String) {
        state.withLock { state in
            guard state.armed[executionID]?.removeValue(forKey: timer) != nil else { return }
            state.armedCount -= 1
            if state.armed[executionID]?.isEmpty == true { state.armed.removeValue(forKey: executionID) }
            Self.compactIfStale(&state)
        }
    }

    /// Forgets every timer of `executionID` (it finished).
    func disarmAll(executionID: String) {
        state.withLock { state in
            guard let removed = state.armed.removeValue(forKey: executionID) else { return }
            state.armedCount -= removed.count
            Self.compactIfStale(&state)
        }
    }

    /// Forgets every timer (the engine stopped).
    func disarmAll() {
        state.withLock { state in
            state.armed.removeAll()
            state.armedCount = 0
            state.heap.removeAll()
        }
    }

    /// Serves the timers until the calling task is canceled.
    func run() async {
        while !Task.isCancelled {
            let now = clock.now()
            let (fired, next, version) = state.withLock { state -> ([Key], Date?, UInt64) in
                var fired: [Key] = []
                while let first = state.heap.first, first.due <= now {
                    let entry = Self.pop(&state.heap)!
                    guard Self.isLive(entry, in: state) else { continue }
                    state.armed[entry.key.executionID]?.removeValue(forKey: entry.key.timer)
                    if state.armed[entry.key.executionID]?.isEmpty == true { state.armed.removeValue(forKey: entry.key.executionID) }
                    state.armedCount -= 1
                    fired.append(entry.key)
                }
                return (fired, state.heap.first?.due, state.version)
            }
            for key in fired { mailbox.send(.timer(executionID: key.executionID, key.timer)) }
            await sleep(until: next, unlessChangedSince: version)
        }
    }

    /// Sleeps until `due` (forever when nil), or until an arming after `version` or the
    /// task's cancellation wakes it.
    private func sleep(until due: Date?, unlessChangedSince version: UInt64) async {
        let clock = self.clock
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await withTaskCancellationHandler {
                    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                        let now = self.state.withLock { state -> Bool in
                            if state.version != version || Task.isCancelled { return true }
                            state.wake = continuation
                            state.sleepingUntil = due
                            return false
                        }
                        if now { continuation.resume() }
                    }
                } onCancel: {
                    self.wakeSleeper()
                }
            }
            if let due {
                group.addTask {
                    try? await clock.sleep(until: due)
                    self.wakeSleeper()
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    private func wakeSleeper() {
        let wake = state.withLock { state in
            defer { state.wake = nil; state.sleepingUntil = nil }
            return state.wake
        }
        wake?.resume()
    }

    /// Rebuilds the heap from the live armings when stale entries are most of it.
    private static func compactIfStale(_ state: inout State) {
        guard state.heap.count > 1024, state.heap.count > state.armedCount * 2 else { return }
        let live = state.heap.filter { isLive($0, in: state) }
        state.heap.removeAll(keepingCapacity: true)
        for entry in live { push(entry, into: &state.heap) }
    }

    private static func isLive(_ entry: Entry, in state: State) -> Bool {
        state.armed[entry.key.executionID]?[entry.key.timer] == entry.generation
    }

    private static func push(_ entry: Entry, into heap: inout [Entry]) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private static func pop(_ heap: inout [Entry]) -> Entry? {
        guard let first = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = parent * 2 + 1
                let right = left + 1
                var smallest = parent
                if left < heap.count, heap[left].precedes(heap[smallest]) { smallest = left }
                if right < heap.count, heap[right].precedes(heap[smallest]) { smallest = right }
                if smallest == parent { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return first
    }
}

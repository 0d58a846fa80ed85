import HarmoniaCore
import Logging
import Synchronization

/// Every plugin invocation the host is waiting for, by invocation id.
///
/// The completion callback arrives on any thread and names only the id, so the table is
/// what turns it into exactly one resumption of the waiting Swift call. A completion for an
/// id that was already resolved (the plugin completed twice, or answered after the host gave
/// up) finds no entry and is ignored and logged. Decisions happen inside the lock; resuming
/// continuations and cancelling tasks happen outside it.
///
/// The table also decides which host HTTP requests an invocation may make: any while it
/// runs; after a cancel, new ones only during its cleanup window (so an adapter can still
/// delete what it created remotely, even after the host stopped waiting for it); none
/// after it completed or its window closed.
final class InvocationTable: Sendable {
    /// What an invocation is, for logs and progress.
    struct Context: Sendable {
        var plugin: String
        var component: String
        var action: String
        var logger: Logger
        var progress: @Sendable (String) -> Void
    }

    private struct Entry {
        var context: Context
        /// The task's deadline: no host HTTP request the call makes before a cancel runs past it.
        var deadline: ContinuousClock.Instant?
        var continuation: CheckedContinuation<InvocationResult, Never>?
        /// A result that arrived before the continuation was attached.
        var early: InvocationResult?
        var earlyByPlugin = false
        var cancelRequested = false
        /// Set by the cancel of a running call: until then its new requests are served.
        var cleanup: CleanupWindow?
        /// Deadline and grace timers, cancelled when the invocation resolves.
        var timers: [Task<Void, Never>] = []
        /// Host HTTP requests made before any cancel, stopped by the cancel (or at resolution).
        /// Requests of the cleanup window are not here: the window's end bounds them.
        var requests: [UInt64: Task<Void, Never>] = [:]
    }

    /// What is remembered of a resolved invocation.
    private struct Finished {
        var context: Context
        var cleanup: CleanupWindow?
        /// Whether the plugin's own completion resolved it (else the host gave up on it:
        /// deadline, or a cancel the plugin did not answer in time).
        var byPlugin: Bool
    }

    private struct State {
        var entries: [UInt64: Entry] = [:]
        /// Recently resolved ids, so a late or second completion can be named in the log and
        /// a canceled call's cleanup requests are still served after the host gave up on it.
        var finished: [UInt64: Finished] = [:]
        var finishedOrder: [UInt64] = []
    }

    /// How many resolved ids are remembered for the log.
    static let finishedMemory = 4096

    private let state = Mutex(State())

    /// A secret drawn once per table: ids are a keyed hash of a counter under it.
    private let key: (UInt64, UInt64) = {
        var generator = SystemRandomNumberGenerator()
        return (generator.next(), generator.next())
    }()
    private let counter = Atomic<UInt64>(0)

    /// A fresh, never-zero id that no other invocation has now or had recently.
    ///
    /// The id is a host-issued token, not a counter: `complete` and `progress` name only the
    /// invocation, not the plugin, so with counting ids one plugin could complete another's
    /// call by guessing a neighbouring number. An id is SipHash (`Hasher`, itself randomly
    /// seeded per process) of a counter under a secret 128-bit key, so it looks random and is
    /// known only to the plugin it was issued to (docs/plugin-abi.md §3.1), which keeps ABI
    /// 1.0 unchanged. A keyed hash, not `SystemRandomNumberGenerator` per id: that is a
    /// `getrandom` system call, about 350 ns, a tenth of a whole no-op plugin call.
    func nextID() -> UInt64 {
        while true {
            var hasher = Hasher()
            hasher.combine(key.0)
            hasher.combine(key.1)
            hasher.combine(counter.wrappingAdd(1, ordering: .relaxed).newValue)
            let id = UInt64(truncatingIfNeeded: hasher.finalize())
            guard id != 0 else { continue }
            if state.withLock({ $0.entries[id] == nil && $0.finished[id] == nil }) { return id }
        }
    }

    func insert(_ id: UInt64, context: Context, deadline: ContinuousClock.Instant? = nil) {
        state.withLock { $0.entries[id] = Entry(context: context, deadline: deadline) }
    }

    /// Attaches the waiting continuation. Returns false when the call must not be started:
    /// it was cancelled already (the caller resolves it) or it already has a result.
    func attach(_ id: UInt64, _ continuation: CheckedContinuation<InvocationResult, Never>) -> Bool {
        let early: (InvocationResult, Bool)? = state.withLock { state in
            guard var entry = state.entries[id] else { return nil }
            entry.continuation = continuation
            state.entries[id] = entry
            return entry.early.map { ($0, entry.earlyByPlugin) }
        }
        if let early {
            _ = resolve(id, early.0, byPlugin: early.1)
            return false
        }
        return state.withLock { !($0.entries[id]?.cancelRequested ?? true) }
    }

    /// What the caller of `requestCancel` does next.
    enum CancelStart {
        /// Not started (the caller of `attach` resolves it) or already resolved: nothing to tell.
        case notRunning
        /// Running: stop `requests` (those made before the cancel), then tell the plugin.
        case running(requests: [Task<Void, Never>])
    }

    /// Marks the call as cancelled and, for a running call, opens its cleanup window of
    /// `cleanupWindow` from now (a second cancel keeps the first window). The requests made
    /// before the cancel are handed back to be stopped; requests made from now on belong to
    /// the cleanup, so handing them out in the same step keeps the two apart.
    func requestCancel(_ id: UInt64, cleanupWindow: Duration) -> CancelStart {
        state.withLock { state in
            guard var entry = state.entries[id] else { return .notRunning }
            entry.cancelRequested = true
            guard entry.continuation != nil else {
                state.entries[id] = entry
                return .notRunning
            }
            if entry.cleanup == nil { entry.cleanup = CleanupWindow(opened: .now, length: cleanupWindow) }
            let requests = Array(entry.requests.values)
            entry.requests = [:]
            state.entries[id] = entry
            return .running(requests: requests)
        }
    }

    /// Whether the call is still waiting and a cancel was requested.
    func isCancelRequested(_ id: UInt64) -> Bool {
        state.withLock { $0.entries[id]?.cancelRequested ?? false }
    }

    func isPending(_ id: UInt64) -> Bool {
        state.withLock { $0.entries[id] != nil }
    }

    func context(_ id: UInt64) -> Context? {
        state.withLock { $0.entries[id]?.context ?? $0.finished[id]?.context }
    }

    /// Adds a timer that dies with the invocation (cancelled at once if it is already resolved).
    func addTimer(_ id: UInt64, _ timer: Task<Void, Never>) {
        let stale = state.withLock { state -> Bool in
            guard state.entries[id] != nil else { return true }
            state.entries[id]!.timers.append(timer)
            return false
        }
        if stale { timer.cancel() }
    }

    /// The limits a host HTTP request of an invocation runs under, besides its own timeout.
    struct RequestScope: Sendable {
        /// The invocation's deadline, if it has one.
        var deadline: ContinuousClock.Instant?
        /// The end of the cleanup window, for a request made after a cancel.
        var cleanupEnd: ContinuousClock.Instant?
    }

    /// Decides whether a host HTTP request of invocation `id` may run and, if so, starts it
    /// with `start` (inside the lock, so that a cancel cannot fall between the decision and
    /// the registration). Returns nil when started, else why the request is refused.
    func startRequest(
        _ id: UInt64, requestID: UInt64, now: ContinuousClock.Instant = .now,
        _ start: (RequestScope) -> Task<Void, Never>
    ) -> String? {
        state.withLock { state in
            if let entry = state.entries[id] {
                guard let window = entry.cleanup else {
                    if entry.cancelRequested { return "invocation \(id) was canceled before it started" }
                    state.entries[id]!.requests[requestID] = start(RequestScope(deadline: entry.deadline))
                    return nil
                }
                guard window.isOpen(at: now) else { return window.refusal(id, entry.context, now: now) }
                // Bounded by the window's end only (a call ended by its deadline cleans up after
                // it); not registered, so the cancel's stop of earlier requests spares it.
                _ = start(RequestScope(cleanupEnd: window.end))
                return nil
            }
            guard let finished = state.finished[id] else {
                return "invocation \(id) is unknown to the host (never started, or finished long ago)"
            }
            guard let window = finished.cleanup else {
                return "invocation \(id) (\(finished.context.component).\(finished.context.action)) has completed; "
                    + "the host serves its requests only while it runs, or in the cleanup window after a cancel"
            }
            guard window.isOpen(at: now) else { return window.refusal(id, finished.context, now: now) }
            _ = start(RequestScope(cleanupEnd: window.end))
            return nil
        }
    }

    func removeRequest(_ id: UInt64, requestID: UInt64) {
        _ = state.withLock { $0.entries[id]?.requests.removeValue(forKey: requestID) }
    }

    /// What happened to a completion.
    enum Resolution {
        /// It was the first: the waiting call got it.
        case resumed
        /// The id was resolved before (second completion, or after the host gave up).
        case alreadyResolved(Context)
        /// The plugin's completion of a call the host had already ended (deadline, or an
        /// unanswered cancel): what the ABI asks of it (complete exactly once, also late).
        case late(Context)
        /// The id was never issued, or was forgotten long ago.
        case unknown
    }

    /// Delivers the result of `id` exactly once. `byPlugin`: the result is the plugin's own
    /// completion (the `complete` callback), not the host giving up on the call.
    ///
    /// A plugin's completion that arrives once the call's deadline has passed is the
    /// deadline's `timeout`, whichever came first of it and the host's deadline timer: the
    /// host ends the call's HTTP requests at that same instant, so a plugin reporting their
    /// failure would otherwise race the timer and turn a timeout into its own error.
    @discardableResult
    func resolve(_ id: UInt64, _ result: InvocationResult, byPlugin: Bool = false) -> Resolution {
        var result = result
        enum Step {
            case resume(CheckedContinuation<InvocationResult, Never>, [Task<Void, Never>])
            case stored
            case done(Resolution)
        }
        let step = state.withLock { state -> Step in
            guard var entry = state.entries[id] else {
                if let finished = state.finished[id] {
                    if byPlugin, !finished.byPlugin {
                        // Counted once: a further completion is a second one.
                        state.finished[id]?.byPlugin = true
                        return .done(.late(finished.context))
                    }
                    return .done(.alreadyResolved(finished.context))
                }
                return .done(.unknown)
            }
            if byPlugin, let deadline = entry.deadline, ContinuousClock.now >= deadline {
                let what = "\(entry.context.component).\(entry.context.action)"
                result = .failure(TaskFailure(.timeout, "\(what) did not finish by its deadline", retryable: true))
            }
            guard let continuation = entry.continuation else {
                if entry.early == nil {
                    entry.early = result
                    entry.earlyByPlugin = byPlugin
                }
                state.entries[id] = entry
                return .stored
            }
            state.entries[id] = nil
            state.finished[id] = Finished(context: entry.context, cleanup: entry.cleanup, byPlugin: byPlugin)
            state.finishedOrder.append(id)
            if state.finishedOrder.count > Self.finishedMemory {
                let drop = state.finishedOrder.count - Self.finishedMemory
                for old in state.finishedOrder.prefix(drop) { state.finished[old] = nil }
                state.finishedOrder.removeFirst(drop)
            }
            // Only requests made before any cancel are registered: cleanup requests run on to
            // their window's end, also after the host stopped waiting for the call.
            return .resume(continuation, entry.timers + Array(entry.requests.values))
        }
        switch step {
        case .resume(let continuation, let tasks):
            for task in tasks { task.cancel() }
            continuation.resume(returning: result)
            return .resumed
        case .stored:
            return .resumed
        case .done(let resolution):
            return resolution
        }
    }
}

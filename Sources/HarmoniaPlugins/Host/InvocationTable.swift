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
        var continuation: CheckedContinuation<InvocationResult, Never>?
        /// A result that arrived before the continuation was attached.
        var early: InvocationResult?
        var cancelRequested = false
        /// Deadline and grace timers, cancelled when the invocation resolves.
        var timers: [Task<Void, Never>] = []
        /// Host HTTP requests made for this invocation, cancelled with it.
        var requests: [UInt64: Task<Void, Never>] = [:]
    }

    private struct State {
        var entries: [UInt64: Entry] = [:]
        /// Recently resolved ids, so a late or second completion can be named in the log.
        var finished: [UInt64: Context] = [:]
        var finishedOrder: [UInt64] = []
    }

    /// How many resolved ids are remembered for the log.
    static let finishedMemory = 4096

    private let state = Mutex(State())
    private let counter = Atomic<UInt64>(0)

    /// A fresh, never-zero id.
    func nextID() -> UInt64 {
        counter.wrappingAdd(1, ordering: .relaxed).newValue
    }

    func insert(_ id: UInt64, context: Context) {
        state.withLock { $0.entries[id] = Entry(context: context) }
    }

    /// Attaches the waiting continuation. Returns false when the call must not be started:
    /// it was cancelled already (the caller resolves it) or it already has a result.
    func attach(_ id: UInt64, _ continuation: CheckedContinuation<InvocationResult, Never>) -> Bool {
        let early: InvocationResult? = state.withLock { state in
            guard var entry = state.entries[id] else { return nil }
            entry.continuation = continuation
            state.entries[id] = entry
            return entry.early
        }
        if let early {
            _ = resolve(id, early)
            return false
        }
        return state.withLock { !($0.entries[id]?.cancelRequested ?? true) }
    }

    /// Marks the call as cancelled. Returns true when it is running (attached, unresolved),
    /// so the caller should tell the plugin.
    func requestCancel(_ id: UInt64) -> Bool {
        state.withLock { state in
            guard state.entries[id] != nil else { return false }
            state.entries[id]!.cancelRequested = true
            return state.entries[id]!.continuation != nil
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
        state.withLock { $0.entries[id]?.context ?? $0.finished[id] }
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

    /// Ties a host HTTP request to its invocation; false when the invocation is gone or
    /// cancelled (the request must then not run).
    func addRequest(_ id: UInt64, requestID: UInt64, _ task: Task<Void, Never>) -> Bool {
        state.withLock { state in
            guard let entry = state.entries[id], !entry.cancelRequested else { return false }
            state.entries[id]!.requests[requestID] = task
            return true
        }
    }

    func removeRequest(_ id: UInt64, requestID: UInt64) {
        _ = state.withLock { $0.entries[id]?.requests.removeValue(forKey: requestID) }
    }

    /// Cancels the host HTTP requests still running for an invocation.
    func cancelRequests(_ id: UInt64) {
        let tasks = state.withLock { state -> [Task<Void, Never>] in
            guard let requests = state.entries[id]?.requests else { return [] }
            state.entries[id]!.requests = [:]
            return Array(requests.values)
        }
        for task in tasks { task.cancel() }
    }

    /// What happened to a completion.
    enum Resolution {
        /// It was the first: the waiting call got it.
        case resumed
        /// The id was resolved before (second completion, or after the host gave up).
        case alreadyResolved(Context)
        /// The id was never issued, or was forgotten long ago.
        case unknown
    }

    /// Delivers the result of `id` exactly once.
    @discardableResult
    func resolve(_ id: UInt64, _ result: InvocationResult) -> Resolution {
        enum Step {
            case resume(CheckedContinuation<InvocationResult, Never>, [Task<Void, Never>])
            case stored
            case done(Resolution)
        }
        let step = state.withLock { state -> Step in
            guard var entry = state.entries[id] else {
                if let context = state.finished[id] { return .done(.alreadyResolved(context)) }
                return .done(.unknown)
            }
            guard let continuation = entry.continuation else {
                if entry.early == nil { entry.early = result }
                state.entries[id] = entry
                return .stored
            }
            state.entries[id] = nil
            state.finished[id] = entry.context
            state.finishedOrder.append(id)
            if state.finishedOrder.count > Self.finishedMemory {
                let drop = state.finishedOrder.count - Self.finishedMemory
                for old in state.finishedOrder.prefix(drop) { state.finished[old] = nil }
                state.finishedOrder.removeFirst(drop)
            }
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

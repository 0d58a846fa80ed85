import Synchronization

/// Every piece of background work the engine starts — adapter calls, redeliveries, the drain
/// deadline, child-execution launches — as children of one task group that `Engine.run()`
/// owns.
///
/// Before, each was a `Task.detached` owned by nobody: nothing waited for them, and a call
/// could outlive the engine that started it. Now `run()` returns only after every one has
/// ended, and cancelling `run()` (the end of the drain) cancels all of them. Work started
/// before `run()` (recovery dispatches) waits in the stream until the group takes it.
///
/// A single piece of work can be cancelled through its `Handle` (the engine cancels a call
/// whose attempt timed out or was canceled): the child then runs it beside a watcher, and
/// the first to end cancels the other, so cancelling stays structured.
final class EngineTasks: Sendable {
    typealias Work = @Sendable () async -> Void

    private struct Started: Sendable {
        let handle: Handle?
        let work: Work
    }

    private let stream: AsyncStream<Started>
    private let continuation: AsyncStream<Started>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: Started.self, bufferingPolicy: .unbounded)
    }

    /// Starts `work` in the group; it cannot be cancelled on its own.
    func start(_ work: @escaping Work) {
        continuation.yield(Started(handle: nil, work: work))
    }

    /// Starts `work` in the group; the handle cancels it.
    func startCancellable(_ work: @escaping Work) -> Handle {
        let handle = Handle()
        continuation.yield(Started(handle: handle, work: work))
        return handle
    }

    /// Runs everything started until the calling task is cancelled, then waits for every
    /// piece of work (cancelled with it) to end.
    func run() async {
        await withDiscardingTaskGroup { group in
            for await started in stream {
                if let handle = started.handle {
                    group.addTask { await handle.run(started.work) }
                } else {
                    group.addTask(operation: started.work)
                }
            }
        }
    }

    /// Cancels one piece of work: before it starts, it never runs; while it runs, its task
    /// is cancelled (an adapter call then cancels the component's work).
    final class Handle: Sendable {
        private enum State {
            case waiting
            case watching(CheckedContinuation<Void, Never>)
            case cancelled
            case finished
        }

        private let state = Mutex(State.waiting)

        func cancel() {
            let watcher: CheckedContinuation<Void, Never>? = state.withLock { state in
                switch state {
                case .waiting:
                    state = .cancelled
                    return nil
                case .watching(let continuation):
                    state = .cancelled
                    return continuation
                case .cancelled, .finished:
                    return nil
                }
            }
            watcher?.resume()
        }

        fileprivate func run(_ work: @escaping Work) async {
            if state.withLock({ if case .cancelled = $0 { true } else { false } }) { return }
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await work() }
                group.addTask { await self.untilCancelled() }
                _ = await group.next()
                group.cancelAll()
            }
        }

        /// Returns when `cancel()` is called, or when the calling task is cancelled (the
        /// work ended first, or the engine stops).
        private func untilCancelled() async {
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let resumeNow = state.withLock { state -> Bool in
                        switch state {
                        case .waiting:
                            if Task.isCancelled {
                                state = .finished
                                return true
                            }
                            state = .watching(continuation)
                            return false
                        case .watching, .cancelled, .finished:
                            return true
                        }
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                let watcher: CheckedContinuation<Void, Never>? = state.withLock { state in
                    if case .watching(let continuation) = state {
                        state = .finished
                        return continuation
                    }
                    if case .waiting = state { state = .finished }
                    return nil
                }
                watcher?.resume()
            }
        }
    }
}

import Foundation
import HarmoniaCore
import Logging

extension EngineCore {
    /// Commits the batch in one transaction, then answers callers and performs its actions.
    ///
    /// Callers are answered first, for every execution in the batch: what they wait for (the
    /// change is durable) is true once the commit returns, and publishing a large batch's
    /// events and dispatching its tasks took up to 0.4 ms (p90 under the starts benchmark)
    /// that a start's acknowledgement does not need to wait for.
    ///
    /// Calls that have no effect outside the process start before the commit
    /// (`startEarly`): their attempt overlaps the fsync instead of following it, and their
    /// result still lands in a later batch, after the start it belongs to.
    ///
    /// If the group commit fails, each execution's change is committed on its own so one bad
    /// change (a reused idempotency key, say) cannot fail the others; the executions whose
    /// change still fails are rolled back in memory (their early calls canceled, so what
    /// they report is stale), their callers get the error, and their task results and timers
    /// are delivered again a second later.
    func commit(_ batch: inout Batch) async {
        guard !batch.isEmpty else { return }
        let ids = batch.changes
        let changes = ids.compactMap { id in machines[id].map { batch.change(for: id, machine: $0) } }
        let early = startEarly(ids, batch: batch)
        do {
            try await durably(changes)
            storageWritable(true)
            failedCommitsInARow = 0
            for id in ids { answer(id, batch: batch) }
            for id in ids { committed(id, batch: batch, startedEarly: early) }
            status.withLock {
                $0.commits += 1
                $0.committedInputs += changes.count
            }
        } catch {
            logger.warning("group commit of \(changes.count) execution change(s) failed: \(error); committing them one by one")
            let delay = redeliveryDelay()
            var anyRolledBack = false
            for (id, change) in zip(ids, changes) {
                do {
                    try await durably([change])
                    storageWritable(true)
                    answer(id, batch: batch)
                    committed(id, batch: batch, startedEarly: early)
                } catch {
                    if Self.isStorageFault(error) { storageWritable(false) }
                    rollBack(id, batch: batch, error: error, startedEarly: early, redeliverAfter: delay)
                    anyRolledBack = true
                }
            }
            failedCommitsInARow = anyRolledBack ? failedCommitsInARow + 1 : 0
        }
        batch.removeAll()
    }

    /// Starts the batch's dispatches whose adapter is side-effect free
    /// (`ComponentAdapter.isSideEffectFree`) before their start is committed.
    ///
    /// A chain of built-in steps otherwise pays a wake-up, a durable commit and a dispatch
    /// between two steps; overlapping the commit with the next step is what keeps a step's
    /// overhead below the commit's own fsync. A result the adapter knows at once
    /// (`immediateResult`) goes straight to the mailbox: a fan-out wave of `noop`s then
    /// costs no task and no thread hand-off per call (`fanout` +9 % in alternating runs). It is safe because such a call has nothing to
    /// trace if a crash loses its start, and its result can only be applied after this
    /// commit: the loop handles the next batch once this one is durable.
    private func startEarly(_ ids: [String], batch: Batch) -> Set<InvocationKey> {
        var started: Set<InvocationKey> = []
        for id in ids {
            guard let entry = batch.entry(id) else { continue }
            for case .dispatch(let dispatch) in entry.actions {
                guard case .available(let adapter) = adapters.availability(of: dispatch.component), adapter.isSideEffectFree
                else { continue }
                started.insert(InvocationKey(executionID: id, taskID: dispatch.taskID, attempt: dispatch.attempt))
                if let failure = oversizedInput(dispatch) {
                    mailbox.send(.taskResult(executionID: id, taskID: dispatch.taskID, attempt: dispatch.attempt, .failure(failure)))
                    continue
                }
                if let result = adapter.immediateResult(action: dispatch.action, input: dispatch.input) {
                    // Known at once (noop, echo, transform, fail): no task, no thread to wake;
                    // the loop takes the result with the next batch, after this commit.
                    adapterCalls.notify(
                        AdapterCallRecord(
                            component: dispatch.component, action: dispatch.action, duration: .zero,
                            outcome: result.outcome))
                    mailbox.send(.taskResult(executionID: id, taskID: dispatch.taskID, attempt: dispatch.attempt, result))
                    continue
                }
                invoke(dispatch, executionID: id, adapter: adapter)
            }
        }
        return started
    }

    /// Commits outside the loop task's cancellation: a commit interrupted half way would
    /// leave the caller unsure whether it landed, and memory must match the store. An
    /// embedded store commits in place (`SynchronousCommitting`), which cannot be interrupted.
    private func durably(_ changes: [ExecutionChange]) async throws {
        if let synchronousStore {
            try synchronousStore.commitSynchronously(changes)
            return
        }
        let store = self.store
        try await Task { try await store.commit(changes) }.value
    }

    /// Tells the callers waiting on `id`'s change that it is durable.
    private func answer(_ id: String, batch: Batch) {
        guard let entry = batch.entry(id) else { return }
        for success in entry.onSuccess { success() }
    }

    /// What follows a durable change: its events go out, its actions run (but for the
    /// dispatches already started early).
    private func committed(_ id: String, batch: Batch, startedEarly: Set<InvocationKey>) {
        guard let entry = batch.entry(id) else { return }
        machines[id]?.discardRollbackPoint()
        events.publish(entry.events)
        for action in entry.actions {
            if case .dispatch(let dispatch) = action, !startedEarly.isEmpty,
                startedEarly.contains(InvocationKey(executionID: id, taskID: dispatch.taskID, attempt: dispatch.attempt))
            {
                continue
            }
            perform(action, executionID: id)
        }
    }

    /// The redelivery delay after this many failed commits in a row: doubling from
    /// `redeliveryDelay`, at most `maxRedeliveryDelay`.
    func redeliveryDelay() -> Double {
        configuration.redeliveryDelay(afterFailedCommits: failedCommitsInARow)
    }

    private func rollBack(
        _ id: String, batch: Batch, error: any Error, startedEarly: Set<InvocationKey>, redeliverAfter delay: Double
    ) {
        guard let entry = batch.entry(id) else { return }
        logger.error("could not store the change of execution \(id): \(error)")
        for key in startedEarly where key.executionID == id {
            inflight.removeValue(forKey: key)?.cancel()
        }
        if entry.dropOnFailure {
            machines.removeValue(forKey: id)
        } else {
            machines[id]?.rollBack()
        }
        let reported = Self.reported(error)
        for failure in entry.onFailure { failure(reported) }
        let clock = self.clock
        let due = clock.now().addingTimeInterval(delay)
        if let (state, definition) = entry.recovery {
            let mailbox = self.mailbox
            tasks.start {
                try? await clock.sleep(until: due)
                mailbox.send(.recover(state, definition))
            }
        }
        guard !entry.redeliver.isEmpty else { return }
        let inputs = entry.redeliver
        let mailbox = self.mailbox
        tasks.start {
            try? await clock.sleep(until: due)
            mailbox.send(.retry(inputs))
        }
    }

    func perform(_ action: SchedulerAction, executionID id: String) {
        switch action {
        case .dispatch(let dispatch):
            invoke(dispatch, executionID: id)
        case .cancelInvocation(let taskID, let attempt):
            inflight.removeValue(forKey: InvocationKey(executionID: id, taskID: taskID, attempt: attempt))?.cancel()
        case .schedule(let timer, let due):
            arm(timer, due: due, executionID: id)
        case .cancelTimer(let timer):
            timerService.disarm(timer, executionID: id)
        case .startChild(let child):
            startChild(child, parentID: id)
        case .controlChild(let childID, let control):
            controlChild(childID, control)
        case .finished:
            childFinished(id)
            machines.removeValue(forKey: id)
            recovered.remove(id)
            timerService.disarmAll(executionID: id)
        }
    }

    /// Finds the adapter for a dispatch and starts the call, or reports why it cannot.
    private func invoke(_ dispatch: Dispatch, executionID id: String) {
        let mailbox = self.mailbox
        let taskID = dispatch.taskID
        let attempt = dispatch.attempt
        if let failure = oversizedInput(dispatch) {
            mailbox.send(.taskResult(executionID: id, taskID: taskID, attempt: attempt, .failure(failure)))
            return
        }
        switch adapters.availability(of: dispatch.component) {
        case .available(let adapter):
            invoke(dispatch, executionID: id, adapter: adapter)
        case .unavailable(let reason):
            mailbox.send(.componentWaiting(executionID: id, taskID: taskID, attempt: attempt, reason: reason))
        case .unknown where recovered.contains(id):
            // The execution ran before the restart, so its components existed then: one that
            // is not loaded now (a plugin that failed to load, a component discovery has not
            // listed yet) is waited for, as a known but unavailable one is, never a failure.
            let reason = "component '\(dispatch.component)' is not loaded since the restart; the task waits for it"
            mailbox.send(.componentWaiting(executionID: id, taskID: taskID, attempt: attempt, reason: reason))
        case .unknown:
            let failure = TaskFailure(
                .componentUnavailable, adapters.unservedMessage(for: dispatch.component), retryable: false)
            mailbox.send(.taskResult(executionID: id, taskID: taskID, attempt: attempt, .failure(failure)))
        }
    }

    /// Starts an adapter call off the engine's actor; its result comes back by mailbox.
    private func invoke(_ dispatch: Dispatch, executionID id: String, adapter: any ComponentAdapter) {
        let mailbox = self.mailbox
        let taskID = dispatch.taskID
        let attempt = dispatch.attempt
        let invocation = Invocation(
            executionID: id, taskID: taskID, attempt: attempt, action: dispatch.action, input: dispatch.input,
            deadline: dispatch.deadline,
            progress: { message in
                mailbox.send(.progress(executionID: id, taskID: taskID, attempt: attempt, message: message))
            })
        let observers = adapterCalls
        let component = dispatch.component
        let action = dispatch.action
        inflight[InvocationKey(executionID: id, taskID: taskID, attempt: attempt)] = tasks.startCancellable {
            let started = ContinuousClock.now
            let result = await adapter.invoke(invocation)
            observers.notify(
                AdapterCallRecord(component: component, action: action, duration: ContinuousClock.now - started, outcome: result.outcome))
            // The engine cancels a call only when it no longer wants its result: the attempt
            // timed out or was canceled, the engine stops, or the commit of an early start
            // failed. In that last case the same attempt number is dispatched again later, so
            // a late result must not be mistaken for the new call's.
            guard !Task.isCancelled else { return }
            mailbox.send(.taskResult(executionID: id, taskID: taskID, attempt: attempt, result))
        }
    }

    /// Arms a timer; one already due fires at once.
    private func arm(_ timer: SchedulerTimer, due: Date, executionID id: String) {
        guard due > clock.now() else {
            timerService.disarm(timer, executionID: id)
            mailbox.send(.timer(executionID: id, timer))
            return
        }
        timerService.arm(timer, executionID: id, due: due)
    }

    /// Graceful shutdown: hold new dispatches and give in-flight calls the grace period.
    func beginDrain() {
        guard !draining else { return }
        draining = true
        status.withLock { $0.isDraining = true }
        for id in Array(machines.keys) { machines[id]?.holdDispatches = true }
        logger.info("shutting down: waiting for \(inflight.count) in-flight task call(s)")
        let mailbox = self.mailbox
        let clock = self.clock
        let due = clock.now().addingTimeInterval(DurationLimit.clamped(configuration.shutdownGracePeriod))
        tasks.start {
            try? await clock.sleep(until: due)
            mailbox.send(.drainDeadline)
        }
    }

    /// Stops what is left; unfinished executions continue at the next start.
    func finishDrain() {
        if !inflight.isEmpty {
            logger.warning("leaving \(inflight.count) task call(s) unfinished; they are dispatched again at the next start")
        }
        for call in inflight.values { call.cancel() }
        inflight.removeAll()
        timerService.disarmAll()
        stopStorageProbe()
        status.withLock { $0.inFlightTasks = 0 }
    }
}

extension InvocationResult {
    /// What the adapter-call metrics record: `success`, or the failure's code.
    var outcome: String {
        switch self {
        case .success: "success"
        case .failure(let failure): failure.code
        }
    }
}

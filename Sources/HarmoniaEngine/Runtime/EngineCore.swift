import Foundation
import HarmoniaCore
import Logging

/// The engine loop: the only place where execution state changes.
///
/// Only `recover()` (before the loop starts) and `runLoop()` run on this actor, one after
/// the other, so its state is never touched concurrently even across the `await` of a
/// commit. Each batch: apply every input to its execution's machine, commit all changes in
/// one transaction, then perform the actions and answer the callers.
actor EngineCore {
    let store: any Store
    /// The store, when it commits in place on the loop (SQLite); see `SynchronousCommitting`.
    let synchronousStore: (any SynchronousCommitting)?
    let adapters: AdapterRegistry
    let configuration: EngineConfiguration
    let logger: Logger
    let mailbox: Mailbox<EngineInput>
    let status: StatusBox
    let environment: [String: String]
    let events: EventBroadcaster
    let adapterCalls: AdapterCallObservers
    let clock: any EngineClock

    /// The loop's own thread: commits block it, not a thread of the cooperative pool
    /// (`DedicatedThreadExecutor`).
    private let executor = DedicatedThreadExecutor(name: "harmonia-engine")
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    var machines = MachineTable()
    var graphs: [GraphKey: WorkflowGraph] = [:]
    var inflight: [InvocationKey: EngineTasks.Handle] = [:]
    /// The group every call, redelivery and launch runs in; `Engine.run()` owns it.
    let tasks: EngineTasks
    /// Every armed timer, served by one task that `Engine.run()` owns.
    let timerService: TimerService
    var rng = SystemRandomNumberGenerator()
    var draining = false
    /// Group commits that failed in a row (some change could not be stored); the delay of
    /// the next redelivery doubles with each (`EngineConfiguration.redeliveryDelay`).
    var failedCommitsInARow = 0
    var drainDeadlinePassed = false
    /// Executions resumed by `recover()` and not finished since. Their tasks were dispatched
    /// to their components before the restart, so a component that is not loaded (yet) is
    /// waited for rather than reported unknown (see `invoke`).
    var recovered: Set<String> = []
    /// The storage probe while writes fail (`startStorageProbe`), and when one last failed.
    var storageProbe: EngineTasks.Handle?
    var lastStorageFault: ContinuousClock.Instant = .now

    init(
        store: any Store, adapters: AdapterRegistry, configuration: EngineConfiguration, logger: Logger,
        mailbox: Mailbox<EngineInput>, status: StatusBox, events: EventBroadcaster,
        adapterCalls: AdapterCallObservers, clock: any EngineClock, timerService: TimerService, tasks: EngineTasks
    ) {
        self.tasks = tasks
        self.clock = clock
        self.timerService = timerService
        self.events = events
        self.adapterCalls = adapterCalls
        self.store = store
        self.synchronousStore = store as? any SynchronousCommitting
        self.adapters = adapters
        self.configuration = configuration
        self.logger = logger
        self.mailbox = mailbox
        self.status = status
        let processEnvironment = ProcessInfo.processInfo.environment
        var allowed: [String: String] = [:]
        for name in configuration.environmentAllowlist {
            if let value = processEnvironment[name] { allowed[name] = value }
        }
        self.environment = allowed
    }

    struct GraphKey: Hashable {
        var id: String
        var version: Int
    }

    struct InvocationKey: Hashable {
        var executionID: String
        var taskID: String
        var attempt: Int
    }

    /// Loads every unfinished execution and resumes it (see `ExecutionMachine.recover`).
    func recover() async throws {
        let unfinished = try await store.unfinishedExecutions()
        var batch = Batch()
        let now = clock.now()
        for state in unfinished {
            // Many executions share a few versions; the store decodes each once (SQLite caches them).
            guard
                let definition = try await store.workflow(id: state.record.workflowID, version: state.record.workflowVersion)
            else {
                logger.error("execution \(state.id) refers to a missing workflow \(state.record.workflowID) v\(state.record.workflowVersion); it stays as it is")
                continue
            }
            resume(state, definition: definition, now: now, batch: &batch)
            if batch.changes.count >= 500 { await commit(&batch) }
        }
        await commit(&batch)
        let ready = machines.readyTasks
        status.withLock {
            $0.isReady = true
            $0.recoveredExecutions = unfinished.count
            $0.activeExecutions = machines.count
            $0.inFlightTasks = inflight.count
            $0.readyTasks = ready
        }
        if !unfinished.isEmpty { logger.info("recovered \(unfinished.count) unfinished execution(s)") }
    }

    /// Puts a stored unfinished execution back in memory and resumes it. Should its commit
    /// fail, the machine is dropped and the stored state recovered again a second later
    /// (`rollBack`), until the store takes it: a recovered execution is never left behind.
    private func resume(_ state: ExecutionState, definition: WorkflowDefinition, now: Date, batch: inout Batch) {
        var machine = ExecutionMachine(
            graph: graph(for: definition), state: state, maxConcurrency: configuration.defaultMaxConcurrency,
            environment: environment)
        machine.holdDispatches = draining
        let step = machine.handle(.recover, now: now, rng: &rng)
        batch.record(machine: machine, step: step, isNew: false, dropOnFailure: true)
        batch.recoverOnFailure(state.id, state: state, definition: definition)
        machines[state.id] = machine
        // Its tasks may name components not loaded yet: they wait instead of failing.
        recovered.insert(state.id)
    }

    /// Processes inputs until a graceful shutdown has drained.
    func runLoop() async throws {
        while true {
            var inputs = await mailbox.receive()
            if inputs.isEmpty, Task.isCancelled { break }
            if inputs.count < inflight.count {
                // More calls are under way than results arrived: let the pool run their
                // completions first so they share this batch's commit (one fsync) instead of
                // each wave of a fan-out costing two.
                await Task.yield()
                inputs += mailbox.drain()
            }
            // At most `maxBatchSize` inputs per commit, so one transaction (and the time
            // the loop spends in it) stays bounded however many inputs queued up.
            var start = 0
            repeat {
                let end = min(start + max(configuration.maxBatchSize, 1), inputs.count)
                var batch = Batch()
                let now = clock.now()
                for input in inputs[start..<end] { apply(input, now: now, batch: &batch) }
                await commit(&batch)
                start = end
            } while start < inputs.count
            let ready = machines.readyTasks
            status.withLock {
                $0.activeExecutions = machines.count
                $0.inFlightTasks = inflight.count
                $0.readyTasks = ready
            }
            if draining, inflight.isEmpty || drainDeadlinePassed { break }
        }
        // Whatever arrived too late is answered, never left hanging.
        let stopped = HarmoniaError(.notReady, "the engine stopped before handling the request")
        for input in mailbox.close() { input.fail(stopped) }
        finishDrain()
    }

    /// Applies one input to its machine and records the step in the batch.
    private func apply(_ input: EngineInput, now: Date, batch: inout Batch) {
        switch input {
        case .create(let state, let definition, let reply):
            guard machines[state.id] == nil else {
                reply.fail(HarmoniaError(.conflict, "execution \(state.id) already exists"))
                return
            }
            if let refusal = childRefusal(state.record) {
                reply.fail(refusal)
                return
            }
            var machine = ExecutionMachine(
                graph: graph(for: definition), state: state, maxConcurrency: configuration.defaultMaxConcurrency,
                environment: environment)
            machine.holdDispatches = draining
            let created = machine.state
            let step = machine.handle(.start, now: now, rng: &rng)
            batch.record(machine: machine, step: step, isNew: true)
            pauseIfParentPaused(&machine, now: now, batch: &batch)
            machines[state.id] = machine
            batch.reply(state.id, success: { reply.succeed(created) }, failure: { reply.fail($0) })
        case .control(let id, let command, let reply):
            guard var machine = machines.removeValue(forKey: id) else {
                reply.fail(HarmoniaError(.invalidState, "execution \(id) already finished; it cannot be \(command.pastTense)"))
                return
            }
            let untouched = !batch.contains(id)
            machine.markRollbackPoint()
            let step = machine.handle(command.schedulerInput, now: now, rng: &rng)
            if let rejection = step.rejection {
                if untouched { machine.discardRollbackPoint() }
                machines[id] = machine
                reply.fail(rejection)
                return
            }
            machines[id] = machine
            batch.record(machine: machine, step: step, isNew: false)
            let after = machine.state
            batch.reply(id, success: { reply.succeed(after) }, failure: { reply.fail($0) })
        case .taskResult(let id, let taskID, let attempt, let result):
            inflight.removeValue(forKey: InvocationKey(executionID: id, taskID: taskID, attempt: attempt))
            switch result {
            case .success(let output):
                if let failure = oversizedOutput(output, taskID: taskID) {
                    step(id, .taskFailed(taskID: taskID, attempt: attempt, failure: failure), input: input, now: now, batch: &batch)
                    return
                }
                step(id, .taskSucceeded(taskID: taskID, attempt: attempt, output: output), input: input, now: now, batch: &batch)
            case .failure(let failure):
                step(id, .taskFailed(taskID: taskID, attempt: attempt, failure: failure), input: input, now: now, batch: &batch)
            }
        case .progress(let id, let taskID, let attempt, let message):
            step(id, .progress(taskID: taskID, attempt: attempt, message: message), input: nil, now: now, batch: &batch)
        case .timer(let id, let timer):
            step(id, .timerFired(timer), input: input, now: now, batch: &batch)
        case .componentWaiting(let id, let taskID, let attempt, let reason):
            inflight.removeValue(forKey: InvocationKey(executionID: id, taskID: taskID, attempt: attempt))
            step(id, .componentUnavailable(taskID: taskID, attempt: attempt, reason: reason), input: input, now: now, batch: &batch)
            // The component may have been registered between the dispatch's lookup and now:
            // its `componentAvailable` then came first and found nothing waiting.
            if let graph = machines[id]?.graph,
                let p = graph.index[taskID] ?? TaskInstanceAddress.parse(taskID).flatMap({ graph.index[$0.taskID] }),
                case .available = adapters.availability(of: graph.task(at: p).component)
            {
                step(id, .componentAvailable(component: graph.task(at: p).component), input: nil, now: now, batch: &batch)
            }
        case .componentAvailable(let component):
            // Only executions with a waiting task can use it (kept by each machine, no walk
            // over their tasks); the rest are not stepped at all.
            // Ids first, in one expression, so no copy of the table is alive while they step.
            let waiting = machines.all.compactMap { id, machine in machine.hasWaitingTasks ? id : nil }
            for id in waiting {
                step(id, .componentAvailable(component: component), input: nil, now: now, batch: &batch)
            }
        case .checkpoint(let id, let reason, let finished, let reply):
            checkpoint(id, reason: reason, finished: finished, reply: reply, now: now, batch: &batch)
        case .intervalCheckpoints(let intervals):
            takeIntervalCheckpoints(intervals, now: now, batch: &batch)
        case .shutdown:
            beginDrain()
        case .drainDeadline:
            drainDeadlinePassed = true
        case .retry(let inputs):
            for input in inputs { apply(input, now: now, batch: &batch) }
        case .recover(let state, let definition):
            guard machines[state.id] == nil, !batch.contains(state.id) else { return }
            resume(state, definition: definition, now: now, batch: &batch)
        case .signal(let id, let signal, let reply):
            receive(signal, executionID: id, reply: reply, now: now, batch: &batch)
        }
    }

    /// Feeds a scheduler input to a live machine; inputs for finished executions are stale.
    ///
    /// The machine is taken out of the dictionary while it steps so its task table is
    /// uniquely referenced and mutated in place, and it remembers only what it changes for a
    /// rollback (`markRollbackPoint`): a step costs what it touches, never a copy of the
    /// execution.
    func step(_ id: String, _ schedulerInput: SchedulerInput, input: EngineInput?, now: Date, batch: inout Batch) {
        guard var machine = machines.removeValue(forKey: id) else { return }
        machine.markRollbackPoint()
        let step = machine.handle(schedulerInput, now: now, rng: &rng)
        guard !step.isEmpty || !step.actions.isEmpty else {
            // Nothing to commit: nothing to undo either, unless earlier steps of this batch.
            if !batch.contains(id) { machine.discardRollbackPoint() }
            machines[id] = machine
            return
        }
        machines[id] = machine
        batch.record(machine: machine, step: step, isNew: false)
        if let input { batch.redeliverOnFailure(id, input) }
    }

    /// Snapshots a live execution, or a finished one loaded from the store (which is then
    /// dropped again: finished executions never change otherwise).
    private func checkpoint(
        _ id: String, reason: String, finished: (ExecutionState, WorkflowDefinition)?, reply: Reply<Checkpoint>, now: Date,
        batch: inout Batch
    ) {
        let checkpointID = UUID().uuidString.lowercased()
        var machine: ExecutionMachine
        let live: Bool
        if let found = machines.removeValue(forKey: id) {
            machine = found
            machine.markRollbackPoint()
            live = true
        } else if let (state, definition) = finished {
            machine = ExecutionMachine(graph: graph(for: definition), state: state, environment: environment)
            live = false
        } else {
            reply.fail(HarmoniaError(.invalidState, "execution \(id) changed while the checkpoint was requested; try again"))
            return
        }
        let step = machine.handle(.checkpoint(id: checkpointID, reason: reason), now: now, rng: &rng)
        // Kept in memory at least until the commit; a finished one is removed by `finished`.
        machines[id] = machine
        guard let checkpoint = step.checkpoints.first else {
            reply.fail(HarmoniaError(.invalidState, "execution \(id) could not be checkpointed"))
            return
        }
        if !live {
            var cleanup = SchedulerStep()
            cleanup.actions = [.finished(machine.state.record.status)]
            batch.record(machine: machine, step: step, isNew: false, dropOnFailure: true)
            batch.record(machine: machine, step: cleanup, isNew: false)
            batch.reply(id, success: { reply.succeed(checkpoint) }, failure: { reply.fail($0) })
            return
        }
        batch.record(machine: machine, step: step, isNew: false)
        batch.reply(id, success: { reply.succeed(checkpoint) }, failure: { reply.fail($0) })
    }

    func graph(for definition: WorkflowDefinition) -> WorkflowGraph {
        let key = GraphKey(id: definition.id, version: definition.version)
        if let graph = graphs[key] { return graph }
        if graphs.count >= 1024 { graphs.removeAll(keepingCapacity: true) }
        var runnable = definition
        if let clamped = definition.clampedToDurationLimits() {
            // Stored before durations were range-checked (or edited by hand): run it with
            // the longest durations allowed rather than overflow a timer or a stored date.
            logger.warning(
                "workflow \(definition.id) v\(definition.version) holds durations beyond \(DurationLimit.maximumDescription); running it with them clamped")
            runnable = clamped
        }
        let graph = WorkflowGraph(definition: runnable)
        graphs[key] = graph
        return graph
    }
}

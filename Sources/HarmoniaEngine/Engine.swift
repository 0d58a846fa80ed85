import HarmoniaCore
import Logging
import ServiceLifecycle
import Foundation

/// Runs workflow executions: the service that drives every execution's scheduler, commits
/// each step durably before acting on it, calls adapters, fires timers and recovers after a
/// crash.
///
/// All state changes flow through one mailbox into one loop (`EngineCore`), which applies
/// a batch of inputs to the pure scheduler, commits the resulting changes of every touched
/// execution in one transaction (group commit), and only then performs the actions
/// (dispatch, timers, replies). Nothing is acted on or acknowledged before it is durable.
public final class Engine: Service, Sendable {
    public let store: any Store
    public let adapters: AdapterRegistry
    public let configuration: EngineConfiguration
    /// The time of every scheduler step and timer (`SystemEngineClock` but in tests).
    public let clock: any EngineClock
    /// Committed events, live, for streams and metrics.
    public let events: EventBroadcaster
    let adapterCalls = AdapterCallObservers()
    let logger: Logger
    let mailbox: Mailbox<EngineInput>
    let core: EngineCore
    let statusBox: StatusBox
    let intervalCheckpoints: IntervalCheckpoints
    let timerService: TimerService
    /// The engine's background work (`EngineTasks`), run by `run()`.
    let tasks: EngineTasks

    public init(
        store: any Store, adapters: AdapterRegistry, configuration: EngineConfiguration = .init(),
        logger: Logger = Logger(label: "harmonia.engine"), clock: any EngineClock = SystemEngineClock()
    ) {
        self.store = store
        self.clock = clock
        self.adapters = adapters
        self.configuration = configuration
        self.logger = logger
        let mailbox = Mailbox<EngineInput>()
        self.mailbox = mailbox
        let events = EventBroadcaster()
        self.events = events
        let statusBox = StatusBox(
            EngineStatus(
                isReady: false, isDraining: false, activeExecutions: 0, inFlightTasks: 0, commits: 0,
                committedInputs: 0, recoveredExecutions: 0))
        self.statusBox = statusBox
        self.intervalCheckpoints = IntervalCheckpoints(defaultInterval: configuration.checkpointInterval, mailbox: mailbox)
        let timerService = TimerService(mailbox: mailbox, clock: clock)
        self.timerService = timerService
        let tasks = EngineTasks()
        self.tasks = tasks
        self.core = EngineCore(
            store: store, adapters: adapters, configuration: configuration, logger: logger,
            mailbox: mailbox, status: statusBox, events: events, adapterCalls: adapterCalls, clock: clock,
            timerService: timerService, tasks: tasks)
        adapters.onRegister { component in mailbox.send(.componentAvailable(component)) }
    }

    /// Calls `observer` after every adapter call with its component, action, duration and
    /// outcome (for metrics). Keep it quick: it runs on the call's task.
    public func onAdapterCall(_ observer: @escaping @Sendable (AdapterCallRecord) -> Void) {
        adapterCalls.add(observer)
    }

    /// A snapshot of the engine's counters.
    public var status: EngineStatus { statusBox.withLock { $0 } }

    /// Resumes every unfinished execution found in the store. Call once, before `run()` and
    /// before the server accepts requests, so readiness means "recovered".
    public func prepare() async throws {
        try await core.recover()
        // Recovered executions may be due for interval checkpoints; the first tick finds out.
        if status.recoveredExecutions > 0 { intervalCheckpoints.wake(at: Date()) }
    }

    /// Processes inputs until graceful shutdown, then drains in-flight task calls for up to
    /// `shutdownGracePeriod` seconds. Unfinished executions stay `running` in the store and
    /// continue at the next start.
    public func run() async throws {
        if !status.isReady { try await prepare() }
        try await withGracefulShutdownHandler {
            defer { intervalCheckpoints.stop() }
            // The timer task and every adapter call, redelivery and launch live exactly as long
            // as the loop that feeds them: when the loop ends, whatever is left is cancelled,
            // and `run()` returns only once all of it has ended.
            try await withThrowingTaskGroup(of: Void.self) { group in
                let timers = timerService
                let tasks = self.tasks
                group.addTask { await timers.run() }
                group.addTask { await tasks.run() }
                try await core.runLoop()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.mailbox.send(.shutdown)
        }
    }

    /// Creates an execution of `workflow` and starts it. Returns once the new execution is
    /// durably stored, with the state it was created in (`pending`). With an idempotency key
    /// that was used before, returns the earlier execution and `created == false`.
    public func startExecution(
        workflow: WorkflowDefinition, input: JSONValue, metadata: [String: JSONValue] = [:],
        idempotencyKey: String? = nil, restoredFrom: String? = nil,
        completedTasks: [TaskState] = [], completedInstances: [TaskInstanceState] = []
    ) async throws -> ExecutionStart {
        guard status.isReady, !status.isDraining else {
            throw HarmoniaError(.notReady, "the engine is not accepting new executions (starting or shutting down)")
        }
        // The workflow's defaults first, so the schema checks what the execution will see.
        let input = workflow.effectiveInput(input) ?? input
        try InputValidator.validate(input, against: workflow.inputSchema)
        if let idempotencyKey, let existing = try await store.execution(idempotencyKey: idempotencyKey),
            let earlier = try await repeated(existing, key: idempotencyKey, workflow: workflow, input: input, metadata: metadata)
        {
            return earlier
        }
        var record = ExecutionRecord(
            workflowID: workflow.id, workflowVersion: workflow.version, workflowName: workflow.name,
            input: input, metadata: metadata, idempotencyKey: idempotencyKey, restoredFrom: restoredFrom)
        record.createdAt = clock.now()
        record.updatedAt = record.createdAt
        var state = ExecutionState(record: record, definition: workflow)
        for task in completedTasks where state.tasks[task.taskID] != nil {
            state.tasks[task.taskID] = task
        }
        state.instances = MapCarryOver.instances(completedInstances, into: state)
        do {
            let created: ExecutionState = try await withCheckedThrowingContinuation { continuation in
                request(EngineInput.create(state, workflow, Reply(continuation)))
            }
            if let interval = intervalCheckpoints.interval(for: workflow) {
                intervalCheckpoints.wake(at: Date().addingTimeInterval(interval))
            }
            return ExecutionStart(state: created, created: true)
        } catch let error as HarmoniaError where error.code == .conflict && idempotencyKey != nil {
            // Another request with the same key won the race; answer with its execution.
            if let existing = try await store.execution(idempotencyKey: idempotencyKey!),
                let earlier = try await repeated(existing, key: idempotencyKey!, workflow: workflow, input: input, metadata: metadata)
            {
                return earlier
            }
            throw error
        }
    }

    /// What a repeated idempotency key answers: the earlier execution when the request is
    /// the same one (workflow, input after defaults, metadata); `idempotency_key_reused` when
    /// it is not, since answering a different request with that execution would hide a
    /// client bug; nil once the key's retention window has passed, after releasing it from
    /// the earlier execution so a new one can take it.
    private func repeated(
        _ existing: ExecutionState, key: String, workflow: WorkflowDefinition, input: JSONValue,
        metadata: [String: JSONValue]
    ) async throws -> ExecutionStart? {
        let cutoff = Date().addingTimeInterval(-configuration.idempotencyRetention)
        if existing.record.createdAt < cutoff {
            _ = try await store.releaseIdempotencyKey(key, createdBefore: cutoff)
            return nil
        }
        var differences: [String] = []
        if existing.record.workflowID != workflow.id { differences.append("workflow_id (it started \(existing.record.workflowID))") }
        if existing.record.input != input { differences.append("input") }
        if existing.record.metadata != metadata { differences.append("metadata") }
        guard differences.isEmpty else {
            throw HarmoniaError(
                .idempotencyKeyReused,
                "idempotency key '\(key)' already started execution \(existing.id) with a different "
                    + "\(differences.joined(separator: " and ")); repeat the same request to get that execution, or use a new key",
                path: "idempotency_key")
        }
        return ExecutionStart(state: existing, created: false)
    }

    /// Cancels an unfinished execution: in-flight calls are canceled and every unfinished
    /// task is marked `canceled`. `invalid_state` if it already finished.
    @discardableResult
    public func cancel(executionID: String, reason: String? = nil) async throws -> ExecutionState {
        try await control(executionID, .cancel(reason: reason ?? "canceled by request"))
    }

    /// Stops new dispatches of a running execution; running tasks finish.
    @discardableResult
    public func pause(executionID: String) async throws -> ExecutionState {
        try await control(executionID, .pause)
    }

    /// Continues a paused execution.
    @discardableResult
    public func resume(executionID: String) async throws -> ExecutionState {
        let resumed = try await control(executionID, .resume)
        intervalCheckpoints.resumed(executionID)
        return resumed
    }

    private func control(_ executionID: String, _ command: ControlCommand) async throws -> ExecutionState {
        guard status.isReady else {
            throw HarmoniaError(.notReady, "the engine is still recovering executions")
        }
        guard let stored = try await store.execution(id: executionID) else {
            throw HarmoniaError(.notFound, "no execution with id \(executionID)")
        }
        if stored.record.status.isTerminal {
            throw HarmoniaError(
                .invalidState, "execution \(executionID) is \(stored.record.status.rawValue); it cannot be \(command.pastTense)")
        }
        return try await withCheckedThrowingContinuation { continuation in
            request(EngineInput.control(executionID, command, Reply(continuation)))
        }
    }
}

extension Engine {
    /// Hands a request with a reply to the loop, or fails it at once: `not_ready` when the
    /// engine has stopped, `overloaded` when `maxQueuedRequests` already wait.
    func request(_ input: EngineInput) {
        let limit = max(1, configuration.maxQueuedRequests)
        switch mailbox.sendRequest(input, limit: limit) {
        case .queued:
            break
        case .closed:
            input.fail(HarmoniaError(.notReady, "the engine has stopped"))
        case .full:
            input.fail(
                HarmoniaError(
                    .overloaded, "the engine has \(limit) requests waiting for it; retry in a moment"))
        }
    }
}

/// The result of `Engine.startExecution`.
public struct ExecutionStart: Sendable {
    /// The execution as created (or as found, for a repeated idempotency key).
    public var state: ExecutionState
    /// False when an earlier execution with the same idempotency key was returned.
    public var created: Bool
}

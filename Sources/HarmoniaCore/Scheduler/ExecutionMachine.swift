import Foundation

/// The scheduler of one execution: a pure state machine.
///
/// Given an input (task finished, timer fired, cancel requested, ...) and the current time,
/// `handle` updates the execution state and returns the new log events and the actions the
/// runner must perform once those changes are committed. It does no I/O and reads no clock,
/// so every transition is tested without servers, clocks or sleeps.
///
/// Besides the persisted `state` it keeps derived bookkeeping (ready queue, counters) that
/// is rebuilt from the state by `init` plus `.start`, `.resume` or `.recover`.
public struct ExecutionMachine: Sendable {
    public let graph: WorkflowGraph
    public internal(set) var state: ExecutionState
    /// Most tasks running at once; nil for no limit.
    public let maxConcurrency: Int?
    /// The allow-listed environment `${env.NAME}` may read.
    let environment: [String: String]
    /// When true no new task is dispatched (graceful shutdown). Not persisted: after a
    /// restart the execution dispatches normally.
    public var holdDispatches = false

    var ready = IndexHeap()
    var readySet: Set<Int> = []
    /// Statuses and dependency counts by position (`ExecutionMachine+Readiness`).
    var readiness: Readiness
    /// Progress of the running map tasks by position (`ExecutionMachine+Map`).
    var maps: [Int: MapProgress] = [:]
    /// How to undo the steps not yet known durable; see `markRollbackPoint()`.
    var rollbackPoint: RollbackPoint?

    /// Tasks ready to run but not dispatched (held by pause, the concurrency limit or a
    /// drain): this execution's share of the dispatch queue.
    public var readyCount: Int { readySet.count }
    var runningCount = 0
    var terminalCount = 0

    public init(graph: WorkflowGraph, state: ExecutionState, maxConcurrency: Int? = nil, environment: [String: String] = [:]) {
        self.graph = graph
        self.state = state
        self.maxConcurrency = graph.definition.maxConcurrency ?? maxConcurrency
        self.environment = environment
        self.readiness = Readiness(count: 0)
        for task in graph.definition.tasks {
            guard let status = state.tasks[task.id]?.status else {
                self.state.tasks[task.id] = TaskState(taskID: task.id)
                continue
            }
            if status == .running { runningCount += 1 }
            if status.isTerminal { terminalCount += 1 }
        }
        self.readiness = Self.makeReadiness(graph: graph, state: self.state)
        self.maps = Self.makeMaps(graph: graph, state: self.state)
    }

    /// Applies one input. The returned step lists the new events (already numbered after
    /// `state.record.lastSeq`), the actions to perform after commit, and the changed tasks.
    public mutating func handle<R: RandomNumberGenerator>(_ input: SchedulerInput, now: Date, rng: inout R) -> SchedulerStep {
        var step = SchedulerStep()
        switch input {
        case .start:
            guard state.record.status == .pending else {
                return rejected("execution \(state.id) is \(state.record.status.rawValue); only a pending execution can start")
            }
            begin(now: now, step: &step)
        case .taskSucceeded(let taskID, let attempt, let output):
            if let (p, index) = runningInstance(taskID, attempt) {
                instanceSucceeded(p, index: index, output: output, now: now, step: &step)
                break
            }
            guard let p = runningPosition(taskID, attempt) else { return step }
            succeed(p, output: output, now: now, step: &step)
        case .taskFailed(let taskID, let attempt, let failure):
            if let (p, index) = runningInstance(taskID, attempt) {
                if failure.code == HarmoniaError.Code.timeout.rawValue {
                    instanceTimedOut(p, index: index, now: now, rng: &rng, step: &step)
                } else {
                    instanceFailed(p, index: index, failure: failure, now: now, rng: &rng, step: &step)
                }
                break
            }
            guard let p = runningPosition(taskID, attempt) else { return step }
            // A timeout the adapter (or its call's deadline) noticed before the engine's timer
            // ends the attempt as the timer would: one code, one message, one event.
            if failure.code == HarmoniaError.Code.timeout.rawValue {
                timeOut(p, reported: failure, now: now, rng: &rng, step: &step)
            } else {
                fail(p, failure: failure, now: now, rng: &rng, step: &step)
            }
        case .timerFired(let timer):
            timerFired(timer, now: now, rng: &rng, step: &step)
        case .pause:
            guard state.record.status == .running else {
                return rejected("execution \(state.id) is \(state.record.status.rawValue); only a running execution can be paused")
            }
            state.record.status = .paused
            emit(.workflowPaused, details: ["running_tasks": .integer(runningCount)], message: "workflow paused; running tasks will finish", now: now, step: &step)
            takeCheckpoint(id: Self.newID(&rng), reason: "pause", now: now, step: &step)
            controlChildren(.pause, step: &step)
        case .resume:
            guard state.record.status == .paused else {
                return rejected("execution \(state.id) is \(state.record.status.rawValue); only a paused execution can be resumed")
            }
            state.record.status = .running
            emit(.workflowResumed, message: "workflow resumed", now: now, step: &step)
            controlChildren(.resume, step: &step)
            dispatchReady(now: now, step: &step)
            finishIfDone(now: now, step: &step)
        case .cancel(let reason):
            guard !state.record.status.isTerminal else {
                return rejected("execution \(state.id) is \(state.record.status.rawValue); it cannot be canceled")
            }
            // The checkpoint comes first so that the log still ends with workflow_canceled.
            takeCheckpoint(id: Self.newID(&rng), reason: "cancel", now: now, step: &step)
            terminate(.canceled, failure: TaskFailure(.canceled, reason, retryable: false), taskReason: reason, now: now, step: &step)
        case .recover:
            recover(now: now, step: &step)
        case .componentUnavailable(let taskID, let attempt, let reason):
            if let (p, index) = runningInstance(taskID, attempt) {
                instanceWaits(p, index: index, reason: reason, now: now, step: &step)
                break
            }
            guard let p = runningPosition(taskID, attempt) else { return step }
            wait(p, reason: reason, now: now, step: &step)
        case .componentAvailable(let component):
            if readiness.waitingCount > 0 {
                let name = component.lowercased()
                for p in graph.topologicalOrder where status(p) == .waiting && graph.task(at: p).component.lowercased() == name {
                    markReady(p)
                }
            }
            if !maps.isEmpty { instancesComponentAvailable(component) }
            dispatchReady(now: now, step: &step)
        case .checkpoint(let id, let reason):
            takeCheckpoint(id: id, reason: reason, now: now, step: &step)
        case .progress(let taskID, let attempt, let message):
            guard runningPosition(taskID, attempt) != nil else { return step }
            emit(.custom, taskID: taskID, details: ["kind": "progress", "attempt": .integer(attempt), "message": .string(message)], message: message, now: now, step: &step)
        case .signalReceived(let signal):
            guard !state.record.status.isTerminal else {
                return rejected("execution \(state.id) is \(state.record.status.rawValue); it takes no more signals")
            }
            receive(signal, now: now, step: &step)
        }
        if !step.isEmpty { state.record.updatedAt = now }
        for i in step.checkpoints.indices { step.checkpoints[i].record.updatedAt = state.record.updatedAt }
        return step
    }

    /// The position of `taskID` if it is running exactly `attempt`; stale reports (from an
    /// attempt that timed out or was canceled) return nil and are ignored.
    func runningPosition(_ taskID: String, _ attempt: Int) -> Int? {
        guard let p = graph.index[taskID], let task = state.tasks[taskID], task.status == .running, task.attempt == attempt else {
            return nil
        }
        return p
    }

    /// Snapshots the execution and logs `checkpoint_created`; the snapshot's `seq` is that
    /// event's, and it holds the state as of just before it.
    mutating func takeCheckpoint(id: String, reason: String, now: Date, step: inout SchedulerStep) {
        let tasks = graph.definition.tasks.compactMap { state.tasks[$0.id] }
        var record = state.record
        record.lastSeq += 1
        record.updatedAt = now
        let completed = tasks.filter { $0.status == .completed }.count
        emit(
            .checkpointCreated,
            details: ["checkpoint_id": .string(id), "reason": .string(reason), "completed_tasks": .integer(completed)],
            message: "checkpoint \(id) created (\(reason))", now: now, step: &step)
        step.checkpoints.append(
            Checkpoint(
                id: id, executionID: state.id, seq: state.record.lastSeq, reason: reason, createdAt: now, record: record, tasks: tasks,
                instances: checkpointInstances()))
    }

    /// A lowercase UUID drawn from the machine's generator, so tests stay deterministic.
    static func newID<R: RandomNumberGenerator>(_ rng: inout R) -> String {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }
        return [hex[0..<4], hex[4..<6], hex[6..<8], hex[8..<10], hex[10..<16]].map { $0.joined() }.joined(separator: "-")
    }

    func rejected(_ message: String) -> SchedulerStep {
        var step = SchedulerStep()
        step.rejection = HarmoniaError(.invalidState, message)
        return step
    }

    /// Appends an event numbered after the last one.
    mutating func emit(
        _ type: EventType, taskID: String? = nil, details: JSONValue = .emptyObject, message: String, now: Date,
        step: inout SchedulerStep
    ) {
        state.record.lastSeq += 1
        step.events.append(
            ExecutionEvent(
                executionID: state.id, seq: state.record.lastSeq, type: type, taskID: taskID, details: details,
                message: message, timestamp: now))
    }

    /// Mutates the task at `position` and records it as changed.
    mutating func updateTask(_ position: Int, step: inout SchedulerStep, _ body: (inout TaskState) -> Void) {
        let id = graph.definition.tasks[position].id
        rememberTask(id)
        func change(_ task: inout TaskState) -> TaskStatus {
            body(&task)
            return task.status
        }
        let new = change(&state.tasks[id, default: TaskState(taskID: id)])
        statusChanged(position, from: readiness.statuses[position], to: new)
        step.changedTasks.insert(id)
    }

    /// Whether any task waits for its component (cheap: kept by `updateTask`).
    public var hasWaitingTasks: Bool { readiness.waitingCount > 0 || maps.values.contains { $0.waiting > 0 } }

    @inline(__always)
    func status(_ position: Int) -> TaskStatus {
        readiness.statuses[position]
    }
}

import Foundation
import HarmoniaCore

/// A deterministic random number generator (SplitMix64) so jittered delays repeat.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64 = 42) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Drives one `ExecutionMachine` with a hand-moved clock and records everything it emits.
struct SchedulerHarness {
    var machine: ExecutionMachine
    var now: Date
    var rng = SeededGenerator()
    var events: [ExecutionEvent] = []
    var actions: [SchedulerAction] = []
    var lastStep = SchedulerStep()

    init(_ definition: WorkflowDefinition, input: JSONValue = .emptyObject, maxConcurrency: Int? = nil, environment: [String: String] = [:]) {
        let record = ExecutionRecord(
            id: "exec-1", workflowID: definition.id, workflowVersion: definition.version, workflowName: definition.name,
            input: input)
        let state = ExecutionState(record: record, definition: definition)
        machine = ExecutionMachine(graph: WorkflowGraph(definition: definition), state: state, maxConcurrency: maxConcurrency, environment: environment)
        now = Date(timeIntervalSince1970: 1_800_000_000)
    }

    init(resuming state: ExecutionState, definition: WorkflowDefinition, now: Date) {
        machine = ExecutionMachine(graph: WorkflowGraph(definition: definition), state: state)
        self.now = now
    }

    @discardableResult
    mutating func send(_ input: SchedulerInput) -> SchedulerStep {
        let step = machine.handle(input, now: now, rng: &rng)
        events += step.events
        actions += step.actions
        lastStep = step
        return step
    }

    @discardableResult
    mutating func start() -> SchedulerStep { send(.start) }

    mutating func advance(by seconds: Double) { now = now.addingTimeInterval(seconds) }

    /// Completes the current attempt of `task`.
    @discardableResult
    mutating func succeed(_ task: String, _ output: JSONValue = .emptyObject) -> SchedulerStep {
        send(.taskSucceeded(taskID: task, attempt: attempt(task), output: output))
    }

    @discardableResult
    mutating func fail(_ task: String, code: String = "boom", retryable: Bool = true) -> SchedulerStep {
        send(.taskFailed(taskID: task, attempt: attempt(task), failure: TaskFailure(code: code, message: "\(task) broke", retryable: retryable)))
    }

    func attempt(_ task: String) -> Int { machine.state.tasks[task]?.attempt ?? 0 }
    func status(_ task: String) -> TaskStatus? { machine.state.tasks[task]?.status }
    var workflowStatus: WorkflowStatus { machine.state.record.status }

    /// Ids dispatched by the last step, in order.
    var dispatchedLast: [String] { lastStep.actions.compactMap { if case .dispatch(let d) = $0 { d.taskID } else { nil } } }
    /// Every dispatch so far.
    var dispatches: [Dispatch] { actions.compactMap { if case .dispatch(let d) = $0 { d } else { nil } } }
    func events(_ type: EventType) -> [ExecutionEvent] { events.filter { $0.type == type } }
    /// The due time of the last armed timer.
    func scheduled(_ timer: SchedulerTimer) -> Date? {
        actions.reversed().compactMap { if case .schedule(let t, let due) = $0, t == timer { due } else { nil } }.first
    }
}

/// Shorthands for building definitions in tests.
func task(
    _ id: String, _ action: String = "noop", input: JSONValue = .emptyObject, after deps: [String] = [],
    condition: JSONValue? = nil, retry: RetryPolicy? = nil, timeout: Double? = nil
) -> TaskDefinition {
    TaskDefinition(id: id, component: "harmonia", action: action, input: input, dependsOn: deps, condition: condition, retryPolicy: retry, timeout: timeout)
}

func workflow(_ tasks: [TaskDefinition], failFast: Bool = false, timeout: Double? = nil, maxConcurrency: Int? = nil) -> WorkflowDefinition {
    WorkflowDefinition(id: "wf-1", name: "test", tasks: tasks, failFast: failFast, timeout: timeout, maxConcurrency: maxConcurrency)
}

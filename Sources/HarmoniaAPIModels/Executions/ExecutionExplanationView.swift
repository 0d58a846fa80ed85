import Foundation
import HarmoniaCore

/// `GET /executions/{id}/explain`: what every unfinished task waits for, and whether the
/// execution can still progress. The wire shape of `ExecutionExplanation`.
public struct ExecutionExplanationView: Codable, Sendable, Hashable {
    public var executionID: String
    public var status: WorkflowStatus
    public var canProgress: Bool
    public var stuckTasks: [String]
    public var summary: String
    public var tasks: [Task]

    /// One unfinished task. `waitingFor` is one of `running`, `dependencies`, `component`,
    /// `unknown_component`, `concurrency_slot`, `retry_timer`, `paused`, `dispatch`, `signal`, `child_execution`,
    /// `map_instances` (a map task's remaining instances, with `instances` counts); the
    /// other fields are those of that kind (absent otherwise).
    public struct Task: Codable, Sendable, Hashable {
        public var taskID: String
        public var status: TaskStatus
        public var waitingFor: String
        public var detail: String
        public var canProgress: Bool
        public var dependencies: [String]?
        public var component: String?
        public var reason: String?
        public var attempt: Int?
        public var since: Date?
        public var timeoutAt: Date?
        public var dueAt: Date?
        public var limit: Int?
        public var running: Int?
        public var ahead: Int?
        /// `signal`: the name waited for.
        public var signal: String?
        /// `child_execution`: the child's id and status (absent before it exists).
        public var childExecutionID: String?
        public var childStatus: WorkflowStatus?
        /// For `map_instances`: the map's instances by status.
        public var instances: TaskInstanceCounts?

        enum CodingKeys: String, CodingKey {
            case taskID = "task_id"
            case status
            case waitingFor = "waiting_for"
            case detail
            case canProgress = "can_progress"
            case dependencies, component, reason, attempt, since
            case timeoutAt = "timeout_at"
            case dueAt = "due_at"
            case limit, running, ahead, signal, instances
            case childExecutionID = "child_execution_id"
            case childStatus = "child_status"
        }

        public init(_ task: TaskExplanation) {
            taskID = task.taskID
            status = task.status
            detail = task.detail
            canProgress = task.canProgress
            switch task.waitingFor {
            case .running(let component, let attempt, let since, let timeoutAt):
                waitingFor = "running"
                self.component = component
                self.attempt = attempt
                self.since = since
                self.timeoutAt = timeoutAt
            case .dependencies(let ids):
                waitingFor = "dependencies"
                dependencies = ids
            case .component(let name, let reason):
                waitingFor = "component"
                component = name
                self.reason = reason
            case .unknownComponent(let name, let timeoutAt):
                waitingFor = "unknown_component"
                component = name
                self.timeoutAt = timeoutAt
            case .concurrencySlot(let limit, let running, let ahead):
                waitingFor = "concurrency_slot"
                self.limit = limit
                self.running = running
                self.ahead = ahead
            case .retryTimer(let dueAt, let nextAttempt):
                waitingFor = "retry_timer"
                self.dueAt = dueAt
                attempt = nextAttempt
            case .paused:
                waitingFor = "paused"
            case .dispatch:
                waitingFor = "dispatch"
            case .signal(let name, let timeoutAt):
                waitingFor = "signal"
                signal = name
                self.timeoutAt = timeoutAt
            case .childExecution(let id, let status):
                waitingFor = "child_execution"
                childExecutionID = id
                childStatus = status
            case .mapInstances(let counts, let limit):
                waitingFor = "map_instances"
                instances = counts
                self.limit = limit
                self.running = counts.running
            }
        }
    }

    enum CodingKeys: String, CodingKey {
        case executionID = "execution_id"
        case status
        case canProgress = "can_progress"
        case stuckTasks = "stuck_tasks"
        case summary, tasks
    }

    public init(_ explanation: ExecutionExplanation) {
        executionID = explanation.executionID
        status = explanation.status
        canProgress = explanation.canProgress
        stuckTasks = explanation.stuckTasks
        summary = explanation.summary
        tasks = explanation.tasks.map(Task.init)
    }
}

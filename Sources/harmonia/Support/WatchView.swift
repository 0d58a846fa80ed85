import Foundation
import HarmoniaClient

/// The state behind `harmonia watch`: every task's status, attempts and timing, updated
/// from events, rendered as a progress bar and one line per task.
///
/// Pure: events in, lines out, so it is tested without a terminal or a server.
struct WatchView {
    struct TaskLine {
        var status: TaskStatus
        var attempt: Int
        var started: Date?
        var finished: Date?
        var note: String
    }

    let executionID: String
    let workflowName: String
    /// Task ids in dependency order.
    let order: [String]
    private(set) var tasks: [String: TaskLine]
    private(set) var status: WorkflowStatus
    private(set) var lastMessage = ""

    init(_ detail: ExecutionDetail) {
        executionID = detail.execution.record.id
        workflowName = detail.execution.record.workflowName
        order = ExecutionPrinter.taskOrder(detail)
        status = detail.execution.status
        var tasks: [String: TaskLine] = [:]
        for (id, task) in detail.execution.tasks ?? [:] {
            tasks[id] = TaskLine(
                status: task.status, attempt: task.attempt, started: task.startedAt, finished: task.finishedAt,
                note: ExecutionPrinter.outcome(task))
        }
        self.tasks = tasks
    }

    /// Tasks that will not change any more.
    var done: Int { tasks.values.filter { $0.status.isTerminal }.count }
    var total: Int { order.count }

    mutating func apply(_ event: ExecutionEvent) {
        lastMessage = event.message
        if let id = event.taskID {
            var line = tasks[id] ?? TaskLine(status: .pending, attempt: 0, note: "")
            switch event.type {
            case .taskStarted:
                // Replayed history of a task the snapshot already shows finished.
                if line.status.isTerminal, (event.details["attempt"]?.intValue ?? 0) <= line.attempt { break }
                line.status = .running
                line.attempt = event.details["attempt"]?.intValue ?? line.attempt + 1
                line.started = event.timestamp
                line.note = ""
            case .taskCompleted:
                line.status = .completed
                line.finished = event.timestamp
                let output = event.details["output"]
                let shown = output?["result"] ?? output
                line.note = shown.map { ExecutionPrinter.clip($0.stringValue ?? $0.jsonString()) } ?? ""
            case .taskFailed:
                line.status = .failed
                line.finished = event.timestamp
                line.note = ExecutionPrinter.clip(event.details["error"]?.stringValue ?? event.message, to: 2 * ExecutionPrinter.maxCell)
            case .taskSkipped:
                line.status = .skipped
                line.note = ExecutionPrinter.clip(event.details["reason"]?.stringValue ?? event.message)
            case .taskCanceled:
                line.status = .canceled
                line.finished = event.timestamp
            case .retryAttempted:
                if line.status.isTerminal { break }
                line.status = .retrying
                line.note = ExecutionPrinter.clip(event.message)
            default:
                break
            }
            tasks[id] = line
        }
        switch event.type {
        case .workflowStarted, .workflowResumed: status = .running
        case .workflowPaused: status = .paused
        case .workflowCompleted: status = .completed
        case .workflowFailed: status = .failed
        case .workflowCanceled: status = .canceled
        default: break
        }
    }

    /// `[#########-----------] 3/7 running  workflow (execution)` then a line per task.
    func render(width: Int = 30, now: Date = Date()) -> [String] {
        let filled = total == 0 ? width : width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        var lines = ["[\(bar)] \(done)/\(total) \(status.rawValue)  \(workflowName) (\(executionID))"]
        let idWidth = min(32, order.map(\.count).max() ?? 4)
        for id in order {
            guard let task = tasks[id] else { continue }
            var timing = ""
            if let started = task.started {
                timing = ExecutionPrinter.seconds((task.finished ?? now).timeIntervalSince(started))
            }
            let attempt = task.attempt > 1 ? " (attempt \(task.attempt))" : ""
            let name = id.padding(toLength: max(idWidth, 4), withPad: " ", startingAt: 0)
            let state = task.status.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
            let line = "  \(Self.mark(task.status)) \(name) \(state) \(timing.padding(toLength: 8, withPad: " ", startingAt: 0))\(attempt) \(task.note)"
            lines.append(line.trimmingCharacters(in: .whitespaces).isEmpty ? line : String(line.reversed().drop { $0 == " " }.reversed()))
        }
        return lines
    }

    static func mark(_ status: TaskStatus) -> String {
        switch status {
        case .completed: "✓"
        case .failed: "✗"
        case .running: "▶"
        case .retrying: "↻"
        case .skipped: "-"
        case .canceled: "⊘"
        default: "·"
        }
    }
}

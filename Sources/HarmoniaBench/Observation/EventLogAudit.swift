import Foundation
import HarmoniaClient

/// What one execution's stored event log says: how many state transitions it recorded, and
/// whether it ran every task exactly once.
///
/// **State transition** (what `transitions_per_second` counts): one status change of the
/// execution or of one of its tasks, as logged — `workflow_started` (pending→running),
/// `workflow_completed`/`_failed`/`_canceled`, `workflow_paused`/`_resumed`, and for a task
/// `task_started` (→running, again for every retry or re-dispatch), `task_completed`,
/// `task_failed`, `task_skipped`, `task_canceled`, `retry_attempted` (→retrying). Events that
/// change no status are not counted: `state_changed` (a recovery marker), `checkpoint_created`,
/// `custom` (progress), `error_occurred`, `timeout_occurred` (its `task_failed` or
/// `retry_attempted` is). A task becoming ready is not logged and not counted. A noop task is
/// two transitions; an execution of n noop tasks is 2n + 2.
struct EventLogAudit: Sendable {
    static let transitionTypes: Set<EventType> = [
        .workflowStarted, .workflowCompleted, .workflowFailed, .workflowCanceled, .workflowPaused, .workflowResumed,
        .taskStarted, .taskCompleted, .taskFailed, .taskSkipped, .taskCanceled, .retryAttempted,
    ]

    let executionID: String
    var events = 0
    var transitions = 0
    /// seq is 1, 2, 3, ... with no gap and no repeat.
    var isGapFree = true
    var terminalEvents: [EventType] = []
    /// The last event is the (first) terminal event.
    var endsWithTerminal = false
    var completionsByTask: [String: Int] = [:]
    var startsByTask: [String: Int] = [:]
    /// `task_started` events marked `recovered` (dispatched again after a restart).
    var recoveredStarts = 0
    /// `state_changed` events with reason `recovered`.
    var recoveryMarkers = 0
    var firstTimestamp: Date?
    var lastTimestamp: Date?
    /// Timestamp of `workflow_started` and of the terminal event (the server's clock).
    var startedAt: Date?
    var finishedAt: Date?

    /// Reads the whole log page by page (10,000 events a page, the server's maximum).
    static func read(_ client: HarmoniaClient, executionID: String) async throws -> EventLogAudit {
        var audit = EventLogAudit(executionID: executionID)
        var after: Int64 = 0
        while true {
            let page = try await client.events(executionID: executionID, afterSeq: after, limit: 10_000)
            guard !page.events.isEmpty else { return audit }
            for event in page.events { audit.absorb(event) }
            guard page.nextAfterSeq > after else { return audit }
            after = page.nextAfterSeq
        }
    }

    mutating func absorb(_ event: ExecutionEvent) {
        events += 1
        if event.seq != Int64(events) { isGapFree = false }
        if Self.transitionTypes.contains(event.type) { transitions += 1 }
        firstTimestamp = firstTimestamp ?? event.timestamp
        lastTimestamp = event.timestamp
        endsWithTerminal = event.type.isTerminal && terminalEvents.isEmpty
        switch event.type {
        case .workflowStarted:
            startedAt = startedAt ?? event.timestamp
        case .workflowCompleted, .workflowFailed, .workflowCanceled:
            terminalEvents.append(event.type)
            finishedAt = finishedAt ?? event.timestamp
        case .taskStarted:
            if let task = event.taskID { startsByTask[task, default: 0] += 1 }
            if event.details["recovered"]?.boolValue == true { recoveredStarts += 1 }
        case .taskCompleted:
            if let task = event.taskID { completionsByTask[task, default: 0] += 1 }
        case .stateChanged:
            if event.details["reason"]?.stringValue == "recovered" { recoveryMarkers += 1 }
        default:
            break
        }
    }

    var completed: Bool { terminalEvents == [.workflowCompleted] && endsWithTerminal }

    /// Why this log is not "every task of `taskIDs` completed exactly once, one terminal
    /// event, last, seq gap-free"; empty when it is.
    func exactlyOnceProblems(taskIDs: Set<String>) -> [String] {
        var problems: [String] = []
        if !isGapFree { problems.append("seq is not 1...\(events) without gaps") }
        if terminalEvents.count != 1 {
            problems.append("\(terminalEvents.count) terminal events (\(terminalEvents.map(\.rawValue)))")
        } else if terminalEvents != [.workflowCompleted] {
            problems.append("ended \(terminalEvents[0].rawValue)")
        } else if !endsWithTerminal {
            problems.append("events follow the terminal event")
        }
        let twice = completionsByTask.filter { $0.value > 1 }.keys.sorted()
        if !twice.isEmpty { problems.append("task_completed more than once for \(twice.prefix(5).joined(separator: ", "))") }
        let missing = taskIDs.subtracting(completionsByTask.keys)
        if !missing.isEmpty { problems.append("\(missing.count) task(s) never completed, e.g. \(missing.sorted().prefix(5).joined(separator: ", "))") }
        return problems
    }

    /// Completed more than once: a second terminal event or a task completed twice.
    var isDuplicated: Bool {
        terminalEvents.count > 1 || completionsByTask.values.contains { $0 > 1 }
    }

    /// Throws `bench_failed` naming the first execution whose log is not exactly-once.
    static func requireExactlyOnce(_ audits: [EventLogAudit], taskIDs: Set<String>) throws {
        for audit in audits {
            let problems = audit.exactlyOnceProblems(taskIDs: taskIDs)
            if !problems.isEmpty {
                throw HarmoniaError(
                    .benchFailed, "execution \(audit.executionID)'s event log: \(problems.joined(separator: "; "))")
            }
        }
    }
}

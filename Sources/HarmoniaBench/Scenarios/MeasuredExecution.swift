import Foundation
import HarmoniaClient

/// One execution of a freshly saved workflow, timed the way the graph-shaped scenarios
/// (`fanout`, `fanin`, `layers`) time it, and audited for exactly-once.
///
/// `seconds` runs from just before the start request is sent until a poll of the execution
/// list sees the execution completed (every 5 ms, concurrently with the start request,
/// whose answer is not decoded): streaming every event of a wide execution to the bench
/// would cost the server more than the poll. `serverSeconds` is the server's own view, from
/// `workflow_started` to the terminal event, without HTTP or the poll's granularity.
struct MeasuredExecution: Sendable {
    let seconds: Double
    let audit: EventLogAudit

    /// Between the first and last scheduler step, by the server's clock.
    var serverSeconds: Double? {
        guard let startedAt = audit.startedAt, let finishedAt = audit.finishedAt else { return nil }
        return finishedAt.timeIntervalSince(startedAt)
    }

    /// Saves `definition`, starts it once, waits for it and reads its whole log.
    static func run(_ context: BenchContext, definition: JSONValue, taskIDs: [String]) async throws -> MeasuredExecution {
        let workflow = try await context.client.createWorkflow(definition)
        let poller = CompletionPoller(client: context.client, workflowID: workflow.workflowID)
        let requester = StartRequester(context: context, workflowID: workflow.workflowID)
        let clock = ContinuousClock()
        let sent = clock.now
        let timeout = BenchContext.deadline(expectedSeconds: Double(taskIDs.count) / 1000)
        // Start and poll at once; a refused start fails the scenario at once, not at the deadline.
        let (executionID, end) = try await withThrowingTaskGroup(of: Step.self) { group in
            group.addTask { .started(try await requester.start(clock: clock).executionID) }
            group.addTask { .completed(try await poller.waitForCompleted(1, timeout: timeout)) }
            var executionID: String?
            var end: ContinuousClock.Instant?
            for try await step in group {
                switch step {
                case .started(let id): executionID = id
                case .completed(let instant): end = instant
                }
            }
            return (executionID!, end!)
        }
        let audit = try await EventLogAudit.read(context.client, executionID: executionID)
        try EventLogAudit.requireExactlyOnce([audit], taskIDs: Set(taskIDs))
        return MeasuredExecution(seconds: (end - sent).seconds, audit: audit)
    }

    /// The fields every graph-shaped scenario reports about its execution.
    func fields(tasks: Int) -> [String: JSONValue] {
        var fields: [String: JSONValue] = [
            "tasks": .integer(tasks),
            "transitions": .integer(audit.transitions),
            "executions_completed": .integer(audit.completed ? 1 : 0),
            "end_observed_by": .string("polling"),
        ]
        if let serverSeconds {
            fields["server_seconds"] = ScenarioResult.number(serverSeconds)
            if serverSeconds > 0 {
                fields["server_transitions_per_second"] = ScenarioResult.number(Double(audit.transitions) / serverSeconds)
            }
        }
        return fields
    }

    /// What each half of the start reported.
    private enum Step: Sendable {
        case started(String)
        case completed(ContinuousClock.Instant)
    }
}

import HarmoniaClient

/// `concurrent`: `concurrentExecutions` executions (1,000 by default) of the ten-task
/// workflow (`WorkflowShapes.tenTasks`: one task, eight in parallel, one join) started at
/// once → wall time and the server's peak RSS.
///
/// All start requests are issued together (the HTTP client holds at most 64 connections,
/// so the rest queue in the client, as with any real client). `seconds` runs from just
/// before the first request until a poll of the execution list sees all completed (every
/// 5 ms). Ack percentiles are those of the burst, each from the burst's start to that
/// request's answer (so queueing in the client counts, as a user would see it).
struct ConcurrentScenario: BenchScenario {
    var name: ScenarioName { .concurrent }

    func run(_ context: BenchContext, server: EmbeddedServer?) async throws -> ScenarioResult {
        let count = context.sizes.concurrentExecutions
        let (definition, taskIDs) = WorkflowShapes.tenTasks()
        let client = context.client
        let workflowID = try await client.createWorkflow(definition).workflowID
        let poller = CompletionPoller(client: client, workflowID: workflowID)

        context.progress("concurrent: \(count) executions of a ten-task workflow at once")
        let clock = ContinuousClock()
        let sent = clock.now
        let timeout = BenchContext.deadline(expectedSeconds: Double(count) / 100)
        let requester = StartRequester(context: context, workflowID: workflowID)
        let (acks, ids, end) = try await withThrowingTaskGroup(of: ConcurrentStep.self) { group in
            for _ in 0..<count {
                group.addTask {
                    let start = try await requester.start(clock: clock)
                    return .started(start.executionID, (start.acked - sent).seconds * 1000)
                }
            }
            group.addTask { .completed(try await poller.waitForCompleted(count, timeout: timeout)) }
            var acks: [Double] = []
            var ids: [String] = []
            var end: ContinuousClock.Instant?
            for try await step in group {
                switch step {
                case .started(let id, let ack):
                    ids.append(id)
                    acks.append(ack)
                case .completed(let instant):
                    end = instant
                }
            }
            return (Percentiles(acks), ids, end!)
        }

        context.progress("concurrent: reading \(ids.count) event logs")
        let audits = try await concurrentMap(ids, limit: 8) { try await EventLogAudit.read(client, executionID: $0) }
        try EventLogAudit.requireExactlyOnce(audits, taskIDs: Set(taskIDs))
        let transitions = audits.reduce(0) { $0 + $1.transitions }
        let completed = audits.filter(\.completed).count

        let seconds = (end - sent).seconds
        var result = ScenarioResult(scenario: .concurrent)
        result.seconds = seconds
        result.tasksPerSecond = Double(completed * taskIDs.count) / seconds
        result.transitionsPerSecond = Double(transitions) / seconds
        result.ackP50Milliseconds = acks.p50
        result.ackP99Milliseconds = acks.p99
        result.fields = [
            "executions": .integer(count),
            "executions_completed": .integer(completed),
            "tasks_per_execution": .integer(taskIDs.count),
            "tasks": .integer(completed * taskIDs.count),
            "transitions": .integer(transitions),
            "end_observed_by": .string("polling"),
        ]
        return result
    }
}

/// What each child of the burst reported.
private enum ConcurrentStep: Sendable {
    case started(String, Double)
    case completed(ContinuousClock.Instant)
}

import HarmoniaClient

/// `fanout`: one execution of `fanoutLayers` layers of `fanoutWidth` noop tasks (100 × 100
/// = 10,000 by default), each task depending on the task at the same position in the layer
/// before.
///
/// `seconds` runs from just before the start request is sent until a poll of the execution
/// list sees the execution completed (polled every 5 ms, concurrently with the start
/// request, whose answer carries all 10,000 tasks and is not decoded). Streaming all 20,002 events to the bench
/// would cost the server more than the poll. Transitions are counted in the stored log.
struct FanoutScenario: BenchScenario {
    var name: ScenarioName { .fanout }

    func run(_ context: BenchContext, server: EmbeddedServer?) async throws -> ScenarioResult {
        let sizes = context.sizes
        let taskCount = sizes.fanoutWidth * sizes.fanoutLayers
        let (definition, taskIDs) = WorkflowShapes.fanout(width: sizes.fanoutWidth, layers: sizes.fanoutLayers)
        let workflow = try await context.client.createWorkflow(definition)
        let client = context.client
        let workflowID = workflow.workflowID
        let poller = CompletionPoller(client: client, workflowID: workflowID)
        let requester = StartRequester(context: context, workflowID: workflowID)

        context.progress("fanout: one execution of \(sizes.fanoutLayers) layers × \(sizes.fanoutWidth) noop tasks")
        let clock = ContinuousClock()
        let sent = clock.now
        let timeout = BenchContext.deadline(expectedSeconds: Double(taskCount) / 1000)
        // Start and poll at once; a refused start fails the scenario at once, not at the deadline.
        let (executionID, end) = try await withThrowingTaskGroup(of: FanoutStep.self) { group in
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

        let audit = try await EventLogAudit.read(client, executionID: executionID)
        try EventLogAudit.requireExactlyOnce([audit], taskIDs: Set(taskIDs))

        let seconds = (end - sent).seconds
        var result = ScenarioResult(scenario: .fanout)
        result.seconds = seconds
        result.tasksPerSecond = Double(taskCount) / seconds
        result.transitionsPerSecond = Double(audit.transitions) / seconds
        result.fields = [
            "tasks": .integer(taskCount),
            "width": .integer(sizes.fanoutWidth),
            "layers": .integer(sizes.fanoutLayers),
            "transitions": .integer(audit.transitions),
            "executions_completed": .integer(audit.completed ? 1 : 0),
            "end_observed_by": .string("polling"),
        ]
        if let startedAt = audit.startedAt, let finishedAt = audit.finishedAt {
            let serverSeconds = finishedAt.timeIntervalSince(startedAt)
            result.fields["server_seconds"] = ScenarioResult.number(serverSeconds)
            if serverSeconds > 0 {
                // Between the first and last scheduler step, without HTTP or the poll.
                result.fields["server_transitions_per_second"] = ScenarioResult.number(Double(audit.transitions) / serverSeconds)
            }
        }
        return result
    }
}

/// What each half of the fan-out's start reported.
private enum FanoutStep: Sendable {
    case started(String)
    case completed(ContinuousClock.Instant)
}

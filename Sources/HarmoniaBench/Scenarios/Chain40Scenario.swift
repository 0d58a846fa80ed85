import Foundation
import HarmoniaClient

/// `chain40`: one execution of `chainLength` sequential `harmonia.sleep` tasks of
/// `chainSleepMilliseconds` each (40 × 10 ms by default).
///
/// `seconds` runs from just before the start request is sent to the arrival of the
/// execution's `workflow_completed` frame on the live event stream (subscribed before the
/// start). Overhead per step = (seconds − length × sleep) / length: everything the engine,
/// the store's commits and the HTTP round trip add to the sleeps themselves.
struct Chain40Scenario: BenchScenario {
    var name: ScenarioName { .chain40 }

    func run(_ context: BenchContext, server: EmbeddedServer?) async throws -> ScenarioResult {
        let sizes = context.sizes
        let sleepSeconds = sizes.chainSleepMilliseconds / 1000
        let (definition, taskIDs) = WorkflowShapes.chain(length: sizes.chainLength, sleepSeconds: sleepSeconds)
        let workflow = try await context.client.createWorkflow(definition)
        let feed = try await context.terminalEventFeed()
        defer { feed.stop() }

        context.progress("chain40: one execution of \(sizes.chainLength) × sleep \(sizes.chainSleepMilliseconds) ms")
        let clock = ContinuousClock()
        let start = try await StartRequester(context: context, workflowID: workflow.workflowID).start(clock: clock)
        let (sent, acked, executionID) = (start.sent, start.acked, start.executionID)
        let expected = Double(sizes.chainLength) * sleepSeconds
        let outcome = try await TerminalWaiter(feed: feed, client: context.client, workflowID: workflow.workflowID)
            .wait(for: [executionID], timeout: BenchContext.deadline(expectedSeconds: expected))
        guard let end = outcome.observations[executionID] else {
            throw HarmoniaError(.benchFailed, "chain40: no end observed for execution \(executionID)")
        }

        let audit = try await EventLogAudit.read(context.client, executionID: executionID)
        try EventLogAudit.requireExactlyOnce([audit], taskIDs: Set(taskIDs))

        let seconds = (end.instant - sent).seconds
        var result = ScenarioResult(scenario: .chain40)
        result.seconds = seconds
        result.tasksPerSecond = Double(sizes.chainLength) / seconds
        result.transitionsPerSecond = Double(audit.transitions) / seconds
        result.fields = [
            "tasks": .integer(sizes.chainLength),
            "chain_length": .integer(sizes.chainLength),
            "sleep_ms": .double(sizes.chainSleepMilliseconds),
            "transitions": .integer(audit.transitions),
            "executions_completed": .integer(audit.completed ? 1 : 0),
            "overhead_per_step_ms": ScenarioResult.number((seconds - expected) / Double(sizes.chainLength) * 1000),
            "ack_ms": ScenarioResult.number((acked - sent).seconds * 1000),
            "end_observed_by": .string(outcome.resolvedByPolling.isEmpty ? "event_stream" : "polling"),
        ]
        if let startedAt = audit.startedAt, let finishedAt = audit.finishedAt {
            // The engine's own view: first scheduler step to the terminal step (server clock).
            result.fields["server_seconds"] = ScenarioResult.number(finishedAt.timeIntervalSince(startedAt))
        }
        return result
    }
}

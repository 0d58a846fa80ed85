import Foundation
import HarmoniaClient

/// `recovery`: `recoveryExecutions` executions (1,000 by default) each with a `sleep` task
/// in flight; `kill -9` the server; restart it on the same data directory and port.
///
/// - **In flight**: the server's `/api/v1/status` reports `in_flight_tasks` ≥ N (every
///   execution's `hold` task is inside its adapter call) while none has completed.
/// - **Running again** (`running_again_seconds`): from just before the new process is
///   launched until a poll (every 5 ms) of `/api/v1/status` answers `ready: true` with
///   `recovered_executions` ≥ N. The engine sets `ready` only after the recovery step of
///   every unfinished execution — which logs `task_started` (`recovered: true`) for each
///   in-flight task and dispatches it — has been committed; the logs are checked for it.
/// - **Complete** (`seconds`, `complete_seconds`): from the same launch until a poll of the
///   execution list sees all N completed. It includes the re-dispatched sleep, which runs
///   from the beginning again.
/// - **Exactly once**: every execution's stored log has seq 1, 2, 3... without gaps, exactly
///   one terminal event (`workflow_completed`, last) and one `task_completed` per task.
///   `lost` counts executions that did not complete; `duplicated` those with a second
///   terminal event or a task completed twice.
struct RecoveryScenario: BenchScenario {
    var name: ScenarioName { .recovery }

    func run(_ context: BenchContext, server: EmbeddedServer?) async throws -> ScenarioResult {
        guard let server else {
            throw HarmoniaError(.benchInvalidOption, "recovery needs the embedded server (it kills it); it cannot run with --url")
        }
        let sizes = context.sizes
        let count = sizes.recoveryExecutions
        let (definition, taskIDs) = WorkflowShapes.recovery(sleepSeconds: sizes.recoverySleepSeconds)
        let client = context.client
        let workflowID = try await client.createWorkflow(definition).workflowID
        let clock = ContinuousClock()

        context.progress("recovery: starting \(count) executions whose first task sleeps \(sizes.recoverySleepSeconds) s")
        let firstLife = clock.now
        let ids = try await concurrentMap(Array(0..<count), limit: 32) { n in
            try await client.executeWorkflow(workflowID: workflowID, input: ["n": .integer(n)]).executionID
        }
        try await waitUntilAllInFlight(count, client: client, workflowID: workflowID, sizes: sizes)
        let inFlightAfter = (clock.now - firstLife).seconds

        context.progress("recovery: all \(count) in flight after \(String(format: "%.2f", inFlightAfter)) s; kill -9")
        try await server.killNine()
        let restart = clock.now
        try server.launch()
        let runningAgain = try await Polling.until(
            "the restarted server to report ready with \(count) recovered executions", timeout: .seconds(300),
            interval: .milliseconds(5)
        ) { () -> ContinuousClock.Instant? in
            guard server.isRunning else {
                throw HarmoniaError(.benchServerFailed, "the restarted server exited: \(server.diagnostics)")
            }
            // Refused connections are expected until it binds.
            guard let status = try? await client.status() else { return nil }
            return status.ready && status.recoveredExecutions >= count ? clock.now : nil
        }
        let complete = try await CompletionPoller(client: client, workflowID: workflowID)
            .waitForCompleted(count, timeout: BenchContext.deadline(expectedSeconds: sizes.recoverySleepSeconds + Double(count) / 100))

        context.progress("recovery: reading \(count) event logs")
        let audits = try await concurrentMap(ids, limit: 8) { try await EventLogAudit.read(client, executionID: $0) }
        return summarize(
            audits: audits, taskIDs: Set(taskIDs), sizes: sizes, inFlightAfter: inFlightAfter,
            runningAgain: (runningAgain - restart).seconds, complete: (complete - restart).seconds)
    }

    /// Polls `/api/v1/status` until N adapter calls are under way; fails if an execution
    /// completes first (the sleep is too short for this many starts on this machine).
    private func waitUntilAllInFlight(_ count: Int, client: HarmoniaClient, workflowID: String, sizes: BenchSizes) async throws {
        try await Polling.until("\(count) tasks in flight", timeout: .seconds(300), interval: .milliseconds(10)) { () -> Bool? in
            if try await client.status().inFlightTasks >= count { return true }
            let completed = try await client.listExecutions(status: .completed, workflowID: workflowID, limit: 1)
            if !completed.executions.isEmpty {
                throw HarmoniaError(
                    .benchFailed,
                    "recovery: an execution completed before all \(count) were in flight; raise --recovery-sleep-seconds (now \(sizes.recoverySleepSeconds))")
            }
            return nil
        }
    }

    private func summarize(
        audits: [EventLogAudit], taskIDs: Set<String>, sizes: BenchSizes, inFlightAfter: Double, runningAgain: Double,
        complete: Double
    ) -> ScenarioResult {
        let lost = audits.filter { !$0.terminalEvents.contains(.workflowCompleted) }.count
        let duplicated = audits.filter(\.isDuplicated).count
        let redispatched = audits.filter { $0.recoveryMarkers > 0 && $0.recoveredStarts > 0 }.count
        let broken = audits.filter { !$0.exactlyOnceProblems(taskIDs: taskIDs).isEmpty }

        var result = ScenarioResult(scenario: .recovery)
        result.seconds = complete
        result.fields = [
            "executions": .integer(audits.count),
            "executions_completed": .integer(audits.filter(\.completed).count),
            "sleep_seconds": .double(sizes.recoverySleepSeconds),
            "in_flight_after_seconds": ScenarioResult.number(inFlightAfter),
            "running_again_seconds": ScenarioResult.number(runningAgain),
            "complete_seconds": ScenarioResult.number(complete),
            "lost": .integer(lost),
            "duplicated": .integer(duplicated),
            "redispatched": .integer(redispatched),
            "transitions": .integer(audits.reduce(0) { $0 + $1.transitions }),
        ]
        if let first = broken.first {
            result.failure =
                "\(broken.count) execution log(s) are not exactly-once; e.g. \(first.executionID): \(first.exactlyOnceProblems(taskIDs: taskIDs).joined(separator: "; "))"
        } else if redispatched != audits.count {
            result.failure = "only \(redispatched) of \(audits.count) executions show a recovered re-dispatch in their log"
        }
        return result
    }
}

import HarmoniaClient

/// Waits until every execution of a set has ended, as seen by a `TerminalEventFeed`.
///
/// While the feed has never been interrupted every end comes from the stream. After an
/// interruption (the live stream has no replay) the executions still missing are looked up
/// in the execution list every `resolveInterval`; those found finished are recorded at the
/// instant of that lookup and counted in `resolvedByPolling`, so a result says how many of
/// its latencies are upper bounds rather than stream observations.
struct TerminalWaiter {
    struct Outcome: Sendable {
        var observations: [String: TerminalEventFeed.Observation]
        /// Executions whose end was found by listing, not by the stream.
        var resolvedByPolling: Set<String>
    }

    let feed: TerminalEventFeed
    let client: HarmoniaClient
    /// Every execution waited for belongs to this workflow (each scenario creates its own).
    let workflowID: String
    var pollInterval: Duration = .milliseconds(5)
    var resolveInterval: Duration = .milliseconds(250)

    func wait(for executionIDs: [String], timeout: Duration) async throws -> Outcome {
        let clock = ContinuousClock()
        var remaining = Set(executionIDs)
        var observations: [String: TerminalEventFeed.Observation] = [:]
        var resolvedByPolling: Set<String> = []
        var lastResolve = clock.now
        try await Polling.until(
            "\(executionIDs.count) execution(s) of workflow \(workflowID) to finish", timeout: timeout, interval: pollInterval
        ) { () -> Bool? in
            for id in remaining {
                if let seen = feed.observation(id) {
                    observations[id] = seen
                    remaining.remove(id)
                }
            }
            if remaining.isEmpty { return true }
            if feed.interruptions > 0, clock.now - lastResolve >= resolveInterval {
                lastResolve = clock.now
                for (id, observation) in try await finishedByListing(remaining) {
                    observations[id] = observation
                    resolvedByPolling.insert(id)
                    remaining.remove(id)
                }
                if remaining.isEmpty { return true }
            }
            return nil
        }
        return Outcome(observations: observations, resolvedByPolling: resolvedByPolling)
    }

    /// The executions of `wanted` the server lists as finished, stamped with now.
    private func finishedByListing(_ wanted: Set<String>) async throws -> [String: TerminalEventFeed.Observation] {
        var found: [String: TerminalEventFeed.Observation] = [:]
        for (status, eventType) in [
            (WorkflowStatus.completed, EventType.workflowCompleted), (.failed, .workflowFailed), (.canceled, .workflowCanceled),
        ] {
            var offset = 0
            while true {
                let page = try await client.listExecutions(status: status, workflowID: workflowID, limit: 1000, offset: offset)
                let now = ContinuousClock.now
                for execution in page.executions where wanted.contains(execution.id) {
                    found[execution.id] = TerminalEventFeed.Observation(instant: now, eventType: eventType.rawValue)
                }
                guard page.executions.count == 1000 else { break }
                offset += 1000
            }
        }
        return found
    }
}

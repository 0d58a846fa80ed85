import HarmoniaClient

/// Waits until a number of executions of one workflow are `completed` by polling the
/// execution list: one tiny request per poll however many executions there are.
///
/// `GET /executions?workflow_id=W&status=completed&limit=1&offset=N-1` returns a row exactly
/// when at least N are completed. The instant returned is when that answer arrived: never
/// earlier than the truth, later by at most one poll interval plus one round trip. Used
/// where a live stream of every event would cost the server more than it measures
/// (`fanout`, `concurrent`, `recovery`). A failed or canceled execution stops the wait.
struct CompletionPoller {
    let client: HarmoniaClient
    let workflowID: String
    var interval: Duration = .milliseconds(5)

    func waitForCompleted(_ count: Int, timeout: Duration) async throws -> ContinuousClock.Instant {
        let clock = ContinuousClock()
        var lastFailureCheck = clock.now
        return try await Polling.until(
            "\(count) execution(s) of workflow \(workflowID) to complete", timeout: timeout, interval: interval
        ) { () -> ContinuousClock.Instant? in
            let page: ExecutionList
            do {
                page = try await client.listExecutions(status: .completed, workflowID: workflowID, limit: 1, offset: count - 1)
            } catch let error as HarmoniaClientError where error.code == HarmoniaClientError.Code.connectionFailed {
                // A connection the killed server left in the pool, or a server still binding
                // after a restart: the next poll decides, up to the deadline.
                return nil
            }
            let now = clock.now
            if !page.executions.isEmpty { return now }
            if now - lastFailureCheck >= .milliseconds(250) {
                lastFailureCheck = now
                try await throwIfAnyEndedBadly()
            }
            return nil
        }
    }

    /// Throws `bench_failed` with the first failed or canceled execution's error.
    func throwIfAnyEndedBadly() async throws {
        for status in [WorkflowStatus.failed, .canceled] {
            let page = try await client.listExecutions(status: status, workflowID: workflowID, limit: 1)
            if let bad = page.executions.first {
                let reason = bad.record.error.map { "\($0.code): \($0.message)" } ?? "no error recorded"
                throw HarmoniaError(.benchFailed, "execution \(bad.id) of workflow \(workflowID) ended \(status.rawValue): \(reason)")
            }
        }
    }
}

import HarmoniaAPIModels

extension HarmoniaClient {
    /// Polls `GET /executions/{id}` until the execution is completed, failed or canceled.
    ///
    /// Polling (not a stream) so it works through any proxy and survives a server restart:
    /// a connection failure while the server is briefly away is retried until the deadline.
    /// Throws `HarmoniaClientError` with code `timeout` when `timeout` passes first; errors
    /// the server returns (an unknown id) are thrown at once.
    public func waitForCompletion(
        executionID: String, timeout: Duration = .seconds(300), pollInterval: Duration = .milliseconds(250)
    ) async throws -> ExecutionDetail {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            do {
                let detail = try await getExecution(id: executionID)
                if detail.execution.status.isTerminal { return detail }
            } catch let error as HarmoniaClientError where error.code == HarmoniaClientError.Code.connectionFailed {
                if clock.now >= deadline { throw error }
            }
            if clock.now + pollInterval > deadline {
                throw HarmoniaClientError(
                    code: HarmoniaClientError.Code.timeout,
                    detail: "execution \(executionID) did not finish within \(timeout)", status: 0)
            }
            try await Task.sleep(for: pollInterval, clock: clock)
        }
    }
}

import HarmoniaClient

/// `starts`: executions of a two-task noop workflow started over HTTP at a fixed rate
/// (500/s for 10 s by default), open loop: the n-th start is sent at origin + n/rate
/// whether or not earlier ones were answered, so a slow server cannot slow the load.
///
/// Per execution: **ack latency** = start request sent → its whole response received
/// (before the bench decodes anything, see `StartRequester`);
/// **completion latency** = start request sent → its `workflow_completed` frame received on
/// the live event stream (subscribed before the first start). `seconds` = first start sent
/// → last completion received. How late the client sent against its schedule is reported
/// apart (`schedule_lag_*`), so a busy client is visible rather than hidden in latencies.
struct StartsScenario: BenchScenario {
    var name: ScenarioName { .starts }

    /// One start request, timed on the bench's monotonic clock.
    struct StartRecord: Sendable {
        var scheduled: ContinuousClock.Instant
        var sent: ContinuousClock.Instant
        var acked: ContinuousClock.Instant
        var executionID: String?
        var error: String?
    }

    func run(_ context: BenchContext, server: EmbeddedServer?) async throws -> ScenarioResult {
        let sizes = context.sizes
        let total = sizes.startsTotal
        let (definition, taskIDs) = WorkflowShapes.twoTasks()
        let client = context.client
        let workflowID = try await client.createWorkflow(definition).workflowID
        let feed = try await context.terminalEventFeed()
        defer { feed.stop() }

        context.progress("starts: \(total) executions of a two-task workflow at \(sizes.startsRate)/s, open loop")
        let clock = ContinuousClock()
        let interval = Duration.seconds(1) / sizes.startsRate
        let origin = clock.now + .milliseconds(20)
        let records: [StartRecord]
        switch context.startsClient {
        case .socket:
            guard let schedule = SocketStartSchedule(baseURL: context.baseURL, apiKey: context.apiKey, workflowID: workflowID) else {
                throw HarmoniaError(
                    .benchFailed,
                    "starts: the socket client needs http:// with an IPv4 address or localhost, not \(context.baseURL); use --starts-client http-client")
            }
            records = try await schedule.run(
                total: total, interval: interval, origin: origin, workers: Self.senderThreads(rate: sizes.startsRate))
        case .httpClient:
            records = try await sendThroughHTTPClient(
                context, workflowID: workflowID, total: total, interval: interval, origin: origin, clock: clock)
        }
        let failures = records.compactMap(\.error)
        if let first = failures.first {
            throw HarmoniaError(.benchFailed, "starts: \(failures.count) of \(total) start requests failed; first: \(first)")
        }
        let ids = records.compactMap(\.executionID)
        let outcome = try await TerminalWaiter(feed: feed, client: client, workflowID: workflowID)
            .wait(for: ids, timeout: BenchContext.deadline(expectedSeconds: sizes.startsSeconds))

        context.progress("starts: reading \(ids.count) event logs")
        let audits = try await concurrentMap(ids, limit: 8) { try await EventLogAudit.read(client, executionID: $0) }
        try EventLogAudit.requireExactlyOnce(audits, taskIDs: Set(taskIDs))
        var result = summarize(records: records, outcome: outcome, audits: audits, sizes: sizes)
        result.fields["starts_client"] = .string(context.startsClient.rawValue)
        return result
    }

    /// Enough sending threads that one waiting for a slow answer (up to 10 intervals) does
    /// not delay the schedule: 10 at 500/s.
    static func senderThreads(rate: Int) -> Int {
        min(64, max(4, rate / 50))
    }

    /// The schedule through AsyncHTTPClient (`--starts-client http-client`): any URL.
    private func sendThroughHTTPClient(
        _ context: BenchContext, workflowID: String, total: Int, interval: Duration, origin: ContinuousClock.Instant,
        clock: ContinuousClock
    ) async throws -> [StartRecord] {
        let requester = StartRequester(context: context, workflowID: workflowID)
        return try await withThrowingTaskGroup(of: StartRecord.self) { group in
            for n in 0..<total {
                let scheduled = origin + interval * n
                try await Task.sleep(until: scheduled, clock: clock)
                group.addTask {
                    do {
                        let start = try await requester.start(clock: clock)
                        return StartRecord(scheduled: scheduled, sent: start.sent, acked: start.acked, executionID: start.executionID)
                    } catch {
                        let now = clock.now
                        return StartRecord(scheduled: scheduled, sent: now, acked: now, error: "\(error)")
                    }
                }
            }
            var records: [StartRecord] = []
            records.reserveCapacity(total)
            for try await record in group { records.append(record) }
            return records
        }
    }

    private func summarize(
        records: [StartRecord], outcome: TerminalWaiter.Outcome, audits: [EventLogAudit], sizes: BenchSizes
    ) -> ScenarioResult {
        let milliseconds = { (duration: Duration) in duration.seconds * 1000 }
        let acks = Percentiles(records.map { milliseconds($0.acked - $0.sent) })
        let lags = Percentiles(records.map { milliseconds($0.sent - $0.scheduled) })
        // Latencies only from stream observations; ends found by polling are upper bounds.
        let completions = Percentiles(
            records.compactMap { record in
                guard let id = record.executionID, !outcome.resolvedByPolling.contains(id),
                    let end = outcome.observations[id]
                else { return nil }
                return milliseconds(end.instant - record.sent)
            })
        let firstSent = records.map(\.sent).min()!
        let lastSent = records.map(\.sent).max()!
        let lastEnd = outcome.observations.values.map(\.instant).max() ?? lastSent
        let seconds = (lastEnd - firstSent).seconds
        let transitions = audits.reduce(0) { $0 + $1.transitions }
        let completed = audits.filter(\.completed).count

        var result = ScenarioResult(scenario: .starts)
        result.seconds = seconds
        result.tasksPerSecond = Double(completed * 2) / seconds
        result.transitionsPerSecond = Double(transitions) / seconds
        result.ackP50Milliseconds = acks.p50
        result.ackP99Milliseconds = acks.p99
        result.completionP50Milliseconds = completions.p50
        result.completionP99Milliseconds = completions.p99
        let sendSpan = (lastSent - firstSent).seconds
        result.fields = [
            "rate": .integer(sizes.startsRate),
            "duration_seconds": .double(sizes.startsSeconds),
            "executions_requested": .integer(records.count),
            "executions_completed": .integer(completed),
            "tasks": .integer(completed * 2),
            "transitions": .integer(transitions),
            "achieved_start_rate": ScenarioResult.number(sendSpan > 0 ? Double(records.count - 1) / sendSpan : nil),
            "achieved_completions_per_second": ScenarioResult.number(Double(completed) / seconds),
            "ack_max_ms": ScenarioResult.number(acks.maximum),
            "completion_max_ms": ScenarioResult.number(completions.maximum),
            "schedule_lag_p99_ms": ScenarioResult.number(lags.p99),
            "schedule_lag_max_ms": ScenarioResult.number(lags.maximum),
            "completions_from_stream": .integer(completions.count),
            "completions_from_polling": .integer(outcome.resolvedByPolling.count),
        ]
        if !outcome.resolvedByPolling.isEmpty {
            result.notes.append(
                "\(outcome.resolvedByPolling.count) completions were missed by the live stream (it lagged) and found by polling; completion percentiles exclude them")
        }
        return result
    }
}

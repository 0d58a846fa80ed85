import HarmoniaCore

/// Every result as a fraction of the disk's raw SQLite commit rate (`sqlite-limit`).
///
/// Each counted state transition is one event row the server must commit, so
/// `transitions_per_second / rows_per_second_batched` says how close the engine comes to
/// the physical throughput limit, and `/ rows_per_second_single` how it compares with one
/// commit per row. For `chain40`, whose steps are sequential, the overhead per step is also
/// given in units of one single-row commit.
struct SQLiteRatios: Sendable {
    var singleRowsPerSecond: Double
    var batchedRowsPerSecond: Double

    init?(_ limit: ScenarioResult) {
        guard limit.scenario == .sqliteLimit, let single = limit.number("rows_per_second_single"),
            let batched = limit.number("rows_per_second_batched"), single > 0, batched > 0
        else { return nil }
        singleRowsPerSecond = single
        batchedRowsPerSecond = batched
    }

    /// Adds the ratio fields to `result` where they apply.
    func annotate(_ result: inout ScenarioResult) {
        guard result.scenario != .sqliteLimit else { return }
        if let transitions = result.transitionsPerSecond {
            result.fields["ratio_to_sqlite_batched"] = ScenarioResult.number(transitions / batchedRowsPerSecond)
            result.fields["ratio_to_sqlite_single"] = ScenarioResult.number(transitions / singleRowsPerSecond)
        }
        if result.scenario == .chain40, let overhead = result.number("overhead_per_step_ms") {
            let commitMilliseconds = 1000 / singleRowsPerSecond
            result.fields["sqlite_commit_ms"] = ScenarioResult.number(commitMilliseconds)
            result.fields["overhead_per_step_in_commits"] = ScenarioResult.number(overhead / commitMilliseconds)
        }
    }
}

/// One measurement `harmonia bench` can make.
///
/// A scenario creates its own workflow(s) on the server it is given, measures, checks from
/// the stored event logs that the work it asked for was done (exactly once), and returns
/// its result; `BenchRunner` adds peak RSS, the machine and the ratios to `sqlite-limit`.
protocol BenchScenario {
    var name: ScenarioName { get }

    /// Runs against `context`'s server. `server` is the embedded child process (nil with
    /// `--url`); only scenarios that restart the server use it.
    func run(_ context: BenchContext, server: EmbeddedServer?) async throws -> ScenarioResult
}

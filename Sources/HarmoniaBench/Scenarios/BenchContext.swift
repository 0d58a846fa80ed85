import AsyncHTTPClient
import HarmoniaClient

/// What a scenario works with: the server's address and a client for it, the sizes, where
/// to put files, and a line of progress for people watching.
struct BenchContext: Sendable {
    let baseURL: String
    let apiKey: String?
    let http: HTTPClient
    let client: HarmoniaClient
    let sizes: BenchSizes
    /// A directory this scenario may write to (the `sqlite-limit` file).
    let scratchDirectory: String
    let synchronous: SQLiteSynchronous
    let startsClient: StartsClient
    let progress: @Sendable (String) -> Void

    /// A subscription to every execution's terminal events, connected before it returns.
    func terminalEventFeed() async throws -> TerminalEventFeed {
        try await TerminalEventFeed.connect(http: http, baseURL: baseURL, apiKey: apiKey)
    }

    /// A generous bound for waits that should take `expected` seconds: the bench must fail
    /// with a reason on a stalled server, never hang, yet tolerate a loaded debug build.
    static func deadline(expectedSeconds expected: Double) -> Duration {
        .seconds(120 + expected * 20)
    }
}

/// Settings of the live event streams (SSE and WebSocket).
///
/// Built once by the caller of `buildApplication`; the defaults are what `harmonia serve`
/// uses. Tests shorten the keepalive so they can observe it without waiting 15 s.
public struct StreamingConfiguration: Sendable, Hashable {
    /// Silence after which an SSE stream writes a `: keepalive` comment. The write is also
    /// how a dead client is noticed: Hummingbird reports a vanished peer only on a write.
    public var keepaliveInterval: Duration
    /// Most commits one connection may have waiting unwritten (a commit's events count as
    /// one, however many: a reader that keeps up is never cut by one big commit). Past it
    /// the connection lags: it is told why (if it still reads) and closed, and can resume
    /// from its last sequence number. The engine never waits for a connection.
    public var bufferSize: Int
    /// Most bytes (estimated, `EventBatch.approximateBytes`) one connection may have waiting
    /// beyond the commit it is writing; past it the connection lags the same way.
    public var maxBufferedBytes: Int

    /// 32 MiB: a few of the largest commits (a 10,000-task wave is about 4 MB of events).
    public static let defaultMaxBufferedBytes = 32 << 20
    /// How long a lagging connection gets to take its buffered events and the closing
    /// reason before it is cut off (a client that reads nothing at all never takes them).
    public var lagGracePeriod: Duration
    /// Events read from the log per query while replaying.
    public var replayPageSize: Int

    public init(
        keepaliveInterval: Duration = .seconds(15), bufferSize: Int = 1024,
        maxBufferedBytes: Int = Self.defaultMaxBufferedBytes,
        lagGracePeriod: Duration = .seconds(5), replayPageSize: Int = 500
    ) {
        self.keepaliveInterval = keepaliveInterval
        self.bufferSize = max(1, bufferSize)
        self.maxBufferedBytes = max(1, maxBufferedBytes)
        self.lagGracePeriod = lagGracePeriod
        self.replayPageSize = max(1, replayPageSize)
    }
}

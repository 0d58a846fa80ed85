import HarmoniaCore
import HarmoniaEngine
import ServiceLifecycle
import Synchronization

/// One connection's merged input: live events from the broadcaster, keepalive ticks and
/// (for WebSocket) client frames, in one sequence read by one writing loop.
///
/// Commits are counted while their events wait, with their approximate bytes: more than
/// `bufferSize` commits unread, or more than `maxBytes` beyond the oldest unread commit,
/// means the connection lags, and it gets `.lagged` after the events it already has. The
/// commit being written never counts against the bytes, so a reader that keeps up follows
/// a commit of any size (a 5,000-wide fan-out's); one that does not read falls behind by
/// whole commits and is cut. Client frames and ticks are not counted; a tick is queued only
/// after a whole interval without a write (or tick), so a stuck connection collects one per
/// interval until the lag rule or its peer ends it.
final class LiveFeed: Sendable {
    let inputs: AsyncStream<StreamInput>
    private let continuation: AsyncStream<StreamInput>.Continuation
    private let bufferSize: Int
    private let maxBytes: Int
    private let waiting = Mutex(Waiting())
    private let lastActivity: Mutex<ContinuousClock.Instant>

    /// What the writing loop has not taken yet, commit by commit (oldest first).
    private struct Waiting {
        var events: [Int] = []
        var bytes: [Int] = []
        var head = 0
        var totalBytes = 0
        var commits: Int { events.count - head }

        mutating func took() {
            guard head < events.count else { return }
            events[head] -= 1
            guard events[head] <= 0 else { return }
            totalBytes -= bytes[head]
            head += 1
            if head > 64, head * 2 > events.count {
                events.removeFirst(head)
                bytes.removeFirst(head)
                head = 0
            }
        }
    }

    init(bufferSize: Int, maxBytes: Int = StreamingConfiguration.defaultMaxBufferedBytes) {
        // Unbounded as a stream, bounded by the commit and byte counts above: the bound
        // must count events only, never the control frames a client sends.
        (inputs, continuation) = AsyncStream<StreamInput>.makeStream(bufferingPolicy: .unbounded)
        self.bufferSize = bufferSize
        self.maxBytes = maxBytes
        self.lastActivity = Mutex(ContinuousClock.now)
    }

    /// Queues a control input (client frame, client closed).
    func send(_ input: StreamInput) {
        continuation.yield(input)
    }

    /// The writing loop took `input` off the sequence.
    func took(_ input: StreamInput) {
        if case .event = input { waiting.withLock { $0.took() } }
    }

    /// Commits whose events are not all taken yet (a commit that made the feed lag included).
    var waitingCommits: Int { waiting.withLock { $0.commits } }

    /// Counts `batch` as waiting; false when that makes the connection lag.
    private func admit(_ batch: EventBatch) -> Bool {
        waiting.withLock { waiting in
            waiting.events.append(batch.events.count)
            waiting.bytes.append(batch.approximateBytes)
            waiting.totalBytes += batch.approximateBytes
            let commits = waiting.commits
            return commits <= bufferSize && waiting.totalBytes - waiting.bytes[waiting.head] <= maxBytes
        }
    }

    /// The writing loop wrote something: the keepalive clock restarts.
    func wrote() {
        lastActivity.withLock { $0 = .now }
    }

    func finish() {
        continuation.finish()
    }

    /// Forwards the subscription's events until it ends. Returns normally when the
    /// subscription was canceled; after a lag, gives the writing loop `grace` to deliver
    /// what it holds and the reason, then throws `StreamStuckError` so the scope ends the
    /// connection even if its write never returns.
    func pump(_ subscription: EventSubscription, grace: Duration) async throws {
        do {
            lagging: for try await batch in subscription.batches where !batch.events.isEmpty {
                guard admit(batch) else { break lagging }
                for event in batch.events { continuation.yield(.event(event)) }
            }
            if Task.isCancelled { return }
        } catch is SubscriberLaggedError {
            // The broadcaster's own bound tripped first: the same outcome.
        }
        subscription.cancel()
        continuation.yield(.lagged)
        continuation.finish()
        try await Task.sleep(for: grace)
        throw StreamStuckError()
    }

    /// Queues `.keepalive` whenever nothing was written for `interval`.
    func tick(every interval: Duration) async throws {
        while true {
            let due = lastActivity.withLock { $0 } + interval
            if ContinuousClock.now >= due {
                continuation.yield(.keepalive)
                wrote()
                continue
            }
            try await Task.sleep(until: due, clock: .continuous)
        }
    }
}

/// A lagging connection did not take its closing frames within the grace period.
struct StreamStuckError: Error, CustomStringConvertible {
    var description: String { "the stream connection lagged and did not read; closed" }
}

/// Runs `body` with a live feed of `executionID`'s committed events (all executions when
/// nil), subscribed before `body` starts, so whatever `body` reads from the log afterwards
/// overlaps the live events instead of leaving a gap.
///
/// `body` runs in a child task so that a lagging connection stuck in a write can be cut
/// off; everything (subscription, pump, ticker) ends when `body` returns or throws. On the
/// server's graceful shutdown the feed finishes, so `body` ends its stream cleanly instead
/// of holding the shutdown open (the all-executions streams never end by themselves).
func withLiveFeed(
    events broadcaster: EventBroadcaster, executionID: String?, configuration: StreamingConfiguration,
    keepalive: Bool, _ body: @escaping @Sendable (LiveFeed) async throws -> Void
) async throws {
    let subscription = broadcaster.subscribe(executionID: executionID, bufferSize: configuration.bufferSize)
    let feed = LiveFeed(bufferSize: configuration.bufferSize, maxBytes: configuration.maxBufferedBytes)
    defer {
        subscription.cancel()
        feed.finish()
    }
    try await withGracefulShutdownHandler {
        try await runLiveFeed(feed, subscription: subscription, configuration: configuration, keepalive: keepalive, body)
    } onGracefulShutdown: {
        feed.finish()
    }
}

private func runLiveFeed(
    _ feed: LiveFeed, subscription: EventSubscription, configuration: StreamingConfiguration, keepalive: Bool,
    _ body: @escaping @Sendable (LiveFeed) async throws -> Void
) async throws {
    try await withThrowingTaskGroup(of: Bool.self) { group in
        group.addTask {
            try await feed.pump(subscription, grace: configuration.lagGracePeriod)
            return false
        }
        if keepalive {
            let interval = configuration.keepaliveInterval
            group.addTask {
                try await feed.tick(every: interval)
                return false
            }
        }
        group.addTask {
            try await body(feed)
            return true
        }
        // Wait for the body; a pump that simply ended (canceled) does not end the scope,
        // a pump or ticker that throws does.
        while let bodyFinished = try await group.next() {
            if bodyFinished { break }
        }
        group.cancelAll()
    }
}

import HarmoniaCore
import HarmoniaEngine
import ServiceLifecycle
import Synchronization

/// One connection's merged input: live events from the broadcaster, keepalive ticks and
/// (for WebSocket) client frames, in one sequence read by one writing loop.
///
/// Events are counted while they wait: more than `bufferSize` unread means the connection
/// lags, and it gets `.lagged` after the events it already has. Client frames and ticks are
/// not counted; a tick is queued only after a whole interval without a write (or tick), so
/// a stuck connection collects one per interval until the lag rule or its peer ends it.
final class LiveFeed: Sendable {
    let inputs: AsyncStream<StreamInput>
    private let continuation: AsyncStream<StreamInput>.Continuation
    private let bufferSize: Int
    private let waitingEvents = Atomic<Int>(0)
    private let lastActivity: Mutex<ContinuousClock.Instant>

    init(bufferSize: Int) {
        // Unbounded as a stream, bounded by the event count above: the bound must count
        // events only, never the control frames a client sends.
        (inputs, continuation) = AsyncStream<StreamInput>.makeStream(bufferingPolicy: .unbounded)
        self.bufferSize = bufferSize
        self.lastActivity = Mutex(ContinuousClock.now)
    }

    /// Queues a control input (client frame, client closed).
    func send(_ input: StreamInput) {
        continuation.yield(input)
    }

    /// The writing loop took `input` off the sequence.
    func took(_ input: StreamInput) {
        if case .event = input { waitingEvents.subtract(1, ordering: .relaxed) }
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
            for try await event in subscription.events {
                let waiting = waitingEvents.add(1, ordering: .relaxed).newValue
                if waiting > bufferSize {
                    break
                }
                continuation.yield(.event(event))
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
    let feed = LiveFeed(bufferSize: configuration.bufferSize)
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

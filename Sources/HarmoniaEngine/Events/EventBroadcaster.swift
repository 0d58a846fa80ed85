import HarmoniaCore
import Synchronization

/// Fans committed events out to live subscribers (WebSocket, SSE, metrics) without ever
/// slowing the engine.
///
/// Each subscriber has its own bounded buffer of commits: one element per group commit (of
/// one execution), however many events it holds. Publishing only appends to buffers; a
/// subscriber that falls more than its bound of commits behind is disconnected with
/// `SubscriberLaggedError` (it can resume from its last sequence number), while everyone
/// else carries on. Counting events instead cut a reader that kept up whenever one commit
/// held more events than the bound (a 2,000-wide fan-out publishes 2,001 at once). Events
/// are published only after they are durable, so a subscriber never sees an event that a
/// crash could take back.
public final class EventBroadcaster: Sendable {
    private struct Subscriber {
        let executionID: String?
        let continuation: AsyncThrowingStream<EventBatch, any Error>.Continuation
    }

    private struct State {
        var nextID = 0
        var byExecution: [String: [Int: Subscriber]] = [:]
        var global: [Int: Subscriber] = [:]
    }

    private let state = Mutex(State())
    private let observers = Mutex<[@Sendable ([ExecutionEvent]) -> Void]>([])

    public init() {}

    /// A live stream of the events of one execution (or of all, when `executionID` is nil)
    /// committed from now on. The stream ends with `SubscriberLaggedError` if more than
    /// `bufferSize` commits wait unread (a commit's events are never split: one commit
    /// always fits); it ends normally when the consumer stops iterating or calls `cancel` on
    /// the subscription.
    public func subscribe(executionID: String?, bufferSize: Int = 1024) -> EventSubscription {
        let (stream, continuation) = AsyncThrowingStream<EventBatch, any Error>.makeStream(
            bufferingPolicy: .bufferingOldest(max(1, bufferSize)))
        let id = state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            let subscriber = Subscriber(executionID: executionID, continuation: continuation)
            if let executionID {
                state.byExecution[executionID, default: [:]][id] = subscriber
            } else {
                state.global[id] = subscriber
            }
            return id
        }
        continuation.onTermination = { [weak self] _ in self?.remove(id, executionID: executionID) }
        return EventSubscription(batches: stream, cancel: { continuation.finish() })
    }

    /// Calls `observer` with every batch of committed events (one execution's events of one
    /// group commit), synchronously, before subscribers get them.
    ///
    /// For consumers that only count (metrics): a subscriber is woken and handed events one
    /// by one, which on a 10,000-task fan-out cost more CPU than the scheduler itself. The
    /// observer runs on the engine's loop, so it must be quick, never block and never call
    /// back into the engine.
    public func addObserver(_ observer: @escaping @Sendable ([ExecutionEvent]) -> Void) {
        observers.withLock { $0.append(observer) }
    }

    /// Number of live subscribers, for metrics and status.
    public var subscriberCount: Int {
        state.withLock { state in state.global.count + state.byExecution.values.reduce(0) { $0 + $1.count } }
    }

    /// Delivers committed events, in order, to their subscribers.
    func publish(_ events: [ExecutionEvent]) {
        guard !events.isEmpty else { return }
        for observer in observers.withLock({ $0 }) { observer(events) }
        let targets: [(Subscriber, [ExecutionEvent])] = state.withLock { state -> [(Subscriber, [ExecutionEvent])] in
            guard !state.global.isEmpty || !state.byExecution.isEmpty else { return [] }
            var targets: [(Subscriber, [ExecutionEvent])] = []
            for subscriber in state.global.values { targets.append((subscriber, events)) }
            if !state.byExecution.isEmpty {
                var grouped: [String: [ExecutionEvent]] = [:]
                for event in events where state.byExecution[event.executionID] != nil {
                    grouped[event.executionID, default: []].append(event)
                }
                for (id, list) in grouped {
                    for subscriber in state.byExecution[id]!.values { targets.append((subscriber, list)) }
                }
            }
            return targets
        }
        guard !targets.isEmpty else { return }
        // The engine publishes one execution's events at a time, so every subscriber gets
        // the whole list: it is measured once and shared.
        var whole: EventBatch?
        for (subscriber, list) in targets {
            let batch: EventBatch
            if list.count == events.count {
                batch = whole ?? EventBatch(events: events)
                whole = batch
            } else {
                batch = EventBatch(events: list)
            }
            if case .dropped = subscriber.continuation.yield(batch) {
                subscriber.continuation.finish(throwing: SubscriberLaggedError(executionID: list[0].executionID))
            }
        }
    }

    private func remove(_ id: Int, executionID: String?) {
        state.withLock { state in
            if let executionID {
                state.byExecution[executionID]?.removeValue(forKey: id)
                if state.byExecution[executionID]?.isEmpty == true { state.byExecution.removeValue(forKey: executionID) }
            } else {
                state.global.removeValue(forKey: id)
            }
        }
    }
}

/// A live event stream and the means to end it.
public struct EventSubscription: Sendable {
    /// One element per commit, in commit order.
    public let batches: AsyncThrowingStream<EventBatch, any Error>
    public let cancel: @Sendable () -> Void

    public init(batches: AsyncThrowingStream<EventBatch, any Error>, cancel: @escaping @Sendable () -> Void) {
        self.batches = batches
        self.cancel = cancel
    }

    /// The same events one by one.
    public var events: Events { Events(batches: batches) }

    /// The events of `batches`, flattened.
    public struct Events: AsyncSequence, Sendable {
        public typealias Element = ExecutionEvent
        let batches: AsyncThrowingStream<EventBatch, any Error>

        public func makeAsyncIterator() -> Iterator {
            Iterator(batches: batches.makeAsyncIterator())
        }

        public struct Iterator: AsyncIteratorProtocol {
            var batches: AsyncThrowingStream<EventBatch, any Error>.AsyncIterator
            var current: [ExecutionEvent] = []
            var index = 0

            public mutating func next() async throws -> ExecutionEvent? {
                while index >= current.count {
                    guard let batch = try await batches.next() else { return nil }
                    current = batch.events
                    index = 0
                }
                defer { index += 1 }
                return current[index]
            }
        }
    }
}

/// The events of one execution committed together, with an estimate of their size so a
/// connection can bound what it holds in bytes without encoding them.
public struct EventBatch: Sendable {
    public let events: [ExecutionEvent]
    /// Roughly the bytes of the events' JSON (strings, numbers and keys counted, plus a fixed
    /// overhead per event); exact enough to bound memory, cheap enough to compute once.
    public let approximateBytes: Int

    public init(events: [ExecutionEvent]) {
        self.events = events
        self.approximateBytes = events.reduce(0) { $0 + 160 + $1.message.utf8.count + Self.approximateBytes($1.details) }
    }

    static func approximateBytes(_ value: JSONValue) -> Int {
        switch value {
        case .string(let string): return string.utf8.count + 2
        case .array(let elements): return elements.reduce(2) { $0 + 1 + approximateBytes($1) }
        case .object(let members): return members.reduce(2) { $0 + $1.key.utf8.count + 4 + approximateBytes($1.value) }
        default: return 8
        }
    }
}

/// The subscriber fell too far behind and was disconnected; it may resume from the last
/// sequence number it processed. Only the subscriber knows that number (the broadcaster
/// does not track what each one consumed), so the error does not carry it; the stream
/// routes send their own cursor in the `lagged` frame.
public struct SubscriberLaggedError: Error, Sendable, CustomStringConvertible {
    /// The execution whose event did not fit in the subscriber's buffer.
    public var executionID: String
    public var description: String {
        "subscriber fell too far behind on execution \(executionID) and was disconnected; resume from the last sequence number received"
    }
}

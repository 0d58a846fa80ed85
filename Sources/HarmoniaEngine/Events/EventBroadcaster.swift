import HarmoniaCore
import Synchronization

/// Fans committed events out to live subscribers (WebSocket, SSE, metrics) without ever
/// slowing the engine.
///
/// Each subscriber has its own bounded buffer. Publishing only appends to buffers; a
/// subscriber that falls more than its bound behind is disconnected with
/// `SubscriberLaggedError` (it can resume from its last sequence number), while everyone
/// else carries on. Events are published only after they are durable, so a subscriber never
/// sees an event that a crash could take back.
public final class EventBroadcaster: Sendable {
    private struct Subscriber {
        let executionID: String?
        let continuation: AsyncThrowingStream<ExecutionEvent, any Error>.Continuation
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
    /// `bufferSize` events wait unread; it ends normally when the consumer stops iterating
    /// or calls `cancel` on the subscription.
    public func subscribe(executionID: String?, bufferSize: Int = 1024) -> EventSubscription {
        let (stream, continuation) = AsyncThrowingStream<ExecutionEvent, any Error>.makeStream(
            bufferingPolicy: .bufferingOldest(bufferSize))
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
        return EventSubscription(events: stream, cancel: { continuation.finish() })
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
        let targets: [(Subscriber, [ExecutionEvent])] = state.withLock { state in
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
        for (subscriber, list) in targets {
            for event in list {
                if case .dropped = subscriber.continuation.yield(event) {
                    subscriber.continuation.finish(throwing: SubscriberLaggedError(executionID: event.executionID))
                    break
                }
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
    public let events: AsyncThrowingStream<ExecutionEvent, any Error>
    public let cancel: @Sendable () -> Void
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

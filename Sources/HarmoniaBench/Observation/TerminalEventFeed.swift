import AsyncHTTPClient
import HarmoniaClient
import NIOCore
import NIOHTTP1
import Synchronization

/// Watches `GET /events/executions` (every execution's events, live) and records when each
/// execution's terminal event arrived, on the bench's monotonic clock.
///
/// The instant is taken when the chunk holding the frame is read, before parsing, so the
/// bench's own parsing does not inflate completion latencies. Only terminal frames are
/// decoded. The stream is live only and the server cuts a connection that falls more than
/// its buffer behind (`subscriber_lagged`); the feed then reconnects and counts an
/// interruption, and `TerminalWaiter` resolves what it missed by polling, labelled as such.
final class TerminalEventFeed: Sendable {
    /// One execution's end as the feed saw it.
    struct Observation: Sendable {
        var instant: ContinuousClock.Instant
        /// `workflow_completed`, `workflow_failed` or `workflow_canceled`.
        var eventType: String
    }

    private struct State {
        var terminal: [String: Observation] = [:]
        var connected = false
        var interruptions = 0
        var lastError: String?
    }

    private let state = Mutex(State())
    private let reader = Mutex<Task<Void, Never>?>(nil)

    private init() {}

    /// Connects and returns once the server confirmed the subscription (its `connected`
    /// frame), so every execution started afterwards is covered.
    static func connect(http: HTTPClient, baseURL: String, apiKey: String?, timeout: Duration = .seconds(30)) async throws
        -> TerminalEventFeed
    {
        let feed = TerminalEventFeed()
        let task = Task { await feed.read(http: http, baseURL: baseURL, apiKey: apiKey) }
        feed.reader.withLock { $0 = task }
        do {
            try await Polling.until("the event stream's 'connected' frame", timeout: timeout, interval: .milliseconds(2)) {
                feed.state.withLock { $0.connected } ? true : nil
            }
        } catch {
            feed.stop()
            let reason = feed.state.withLock { $0.lastError } ?? "no frame received"
            throw HarmoniaError(.benchFailed, "cannot subscribe to \(baseURL)/events/executions: \(reason)")
        }
        return feed
    }

    func stop() {
        reader.withLock { $0?.cancel() }
    }

    func observation(_ executionID: String) -> Observation? {
        state.withLock { $0.terminal[executionID] }
    }

    /// Times the stream ended or lagged and had to be reopened; events in between are lost.
    var interruptions: Int {
        state.withLock { $0.interruptions }
    }

    private func read(http: HTTPClient, baseURL: String, apiKey: String?) async {
        let clock = ContinuousClock()
        while !Task.isCancelled {
            do {
                var request = HTTPClientRequest(url: baseURL + "/events/executions")
                request.headers.add(name: "Accept", value: "text/event-stream")
                request.headers.add(name: "User-Agent", value: "harmonia-bench")
                if let apiKey { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
                let response = try await http.execute(request, timeout: .hours(24))
                guard response.status == .ok else {
                    throw HarmoniaError(.benchFailed, "the event stream answered HTTP \(response.status.code)")
                }
                var parser = SSEParser()
                for try await chunk in response.body {
                    let arrived = clock.now
                    for message in parser.feed(chunk.readableBytesView) {
                        try absorb(message, arrived: arrived)
                    }
                }
                state.withLock { $0.lastError = "the server ended the stream" }
            } catch is CancellationError {
                return
            } catch {
                state.withLock { $0.lastError = "\(error)" }
            }
            if Task.isCancelled { return }
            state.withLock { $0.interruptions += 1 }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Records terminal frames; a lag notice ends this connection (the caller reconnects).
    private func absorb(_ message: SSEParser.Message, arrived: ContinuousClock.Instant) throws {
        switch message.event {
        case "connected":
            state.withLock { $0.connected = true }
        case "error":
            throw HarmoniaError(.benchFailed, "the event stream reported: \(message.data)")
        case EventType.workflowCompleted.rawValue, EventType.workflowFailed.rawValue, EventType.workflowCanceled.rawValue:
            guard let id = (try? JSONValue.parse(Array(message.data.utf8)))?["execution_id"]?.stringValue else { return }
            state.withLock { state in
                if state.terminal[id] == nil {
                    state.terminal[id] = Observation(instant: arrived, eventType: message.event)
                }
            }
        default:
            break
        }
    }
}

import AsyncHTTPClient
import Foundation
import HarmoniaClient
import HTTPTypes
import HarmoniaCore
import HummingbirdWSClient
import Logging
import NIOCore
import NIOHTTP1
import NIOWebSocket
import Synchronization
import Testing

/// One SSE connection read by a test, frame by frame.
struct SSETestClient {
    let response: HTTPClientResponse
    private var body: HTTPClientResponse.Body.AsyncIterator
    private var parser = SSEParser()
    private var ready: [SSEParser.Message] = []

    var status: Int { Int(response.status.code) }
    var keepalives: Int { parser.comments }

    /// Opens `path` (with `lastEventID` as `Last-Event-ID` when given).
    static func open(_ server: LiveServer, _ path: String, lastEventID: Int64? = nil, apiKey: String? = nil) async throws -> SSETestClient {
        var request = HTTPClientRequest(url: server.baseURL + path)
        request.headers.add(name: "Accept", value: "text/event-stream")
        if let lastEventID { request.headers.add(name: "Last-Event-ID", value: String(lastEventID)) }
        if let apiKey { request.headers.add(name: "X-API-Key", value: apiKey) }
        // The deadline bounds the whole exchange, body included: a test that reads the
        // stream only after its execution finished needs it long (the slow-reader test
        // writes 20 MB first); each test's own time limit still ends a stuck stream.
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(300))
        return SSETestClient(response: response, body: response.body.makeAsyncIterator())
    }

    /// The next message, nil when the server ended the stream.
    mutating func next() async throws -> SSEParser.Message? {
        while ready.isEmpty {
            guard let chunk = try await body.next() else { return nil }
            ready += parser.feed(chunk.readableBytesView)
        }
        return ready.removeFirst()
    }

    /// Reads until a keepalive comment has been seen; false if the stream ended first.
    mutating func awaitKeepalive() async throws -> Bool {
        while parser.comments == 0 {
            guard let chunk = try await body.next() else { return false }
            ready += parser.feed(chunk.readableBytesView)
        }
        return true
    }

    /// Every message until the server ends the stream.
    mutating func readToEnd() async throws -> [SSEParser.Message] {
        var messages: [SSEParser.Message] = []
        while let message = try await next() { messages.append(message) }
        return messages
    }

    /// The decoded events among `messages` (those with an `id:`).
    static func events(_ messages: [SSEParser.Message]) throws -> [ExecutionEvent] {
        try messages.filter { $0.id != nil }.map { message in
            try APICoding.makeDecoder().decode(ExecutionEvent.self, from: Data(message.data.utf8))
        }
    }
}

/// What a WebSocket client saw: text frames parsed as JSON, and the server's close frame.
struct WebSocketTranscript: Sendable {
    var frames: [JSONValue]
    var closeCode: Int?
    var closeReason: String?

    /// Event frames (those with `event_type`) as (seq, type, task) triples.
    var events: [EventKey] {
        frames.compactMap { frame in
            guard let type = frame["event_type"]?.stringValue, let seq = frame["seq"]?.intValue else { return nil }
            return EventKey(seq: Int64(seq), type: type, taskID: frame["task_id"]?.stringValue)
        }
    }
}

/// What two clients must agree on for each event.
struct EventKey: Hashable, Sendable, CustomStringConvertible {
    var seq: Int64
    var type: String
    var taskID: String?

    init(seq: Int64, type: String, taskID: String?) {
        self.seq = seq
        self.type = type
        self.taskID = taskID
    }

    init(_ event: ExecutionEvent) {
        self.init(seq: event.seq, type: event.type.rawValue, taskID: event.taskID)
    }

    var description: String { "\(seq):\(type)\(taskID.map { ":" + $0 } ?? "")" }
}

enum WebSocketTestClient {
    /// Connects to `path`, sends `send` after the greeting, and collects frames until the
    /// server closes or `stop` says enough (then the client closes).
    static func run(
        _ server: LiveServer, _ path: String, send: [String] = [], headers: [(String, String)] = [],
        reply: @escaping @Sendable (JSONValue) -> [String] = { _ in [] },
        stop: @escaping @Sendable ([JSONValue]) -> Bool = { _ in false }
    ) async throws -> WebSocketTranscript {
        var logger = Logger(label: "ws-test-client")
        logger.logLevel = .warning
        var configuration = WebSocketClientConfiguration()
        for (name, value) in headers { configuration.additionalHeaders[HTTPField.Name(name)!] = value }
        let frames = FrameBox()
        let url = server.wsURL + path
        let (clientConfiguration, clientLogger) = (configuration, logger)
        // 90 s: generous for a machine that also builds; a close normally comes in milliseconds.
        let close = try await withDeadline(.seconds(90), "WebSocket client of \(path)", frames: frames) {
            try await WebSocketClient.connect(url: url, configuration: clientConfiguration, logger: clientLogger) { inbound, outbound, _ in
            var greeted = false
            for try await message in inbound.messages(maxSize: 1 << 24) {
                guard case .text(let text) = message, let value = try? JSONValue.parse(Array(text.utf8)) else { continue }
                let all = frames.append(value)
                if !greeted, value["type"] == "connected" {
                    greeted = true
                    for frame in send { try await outbound.write(.text(frame)) }
                }
                for frame in reply(value) { try await outbound.write(.text(frame)) }
                if stop(all) { return }
            }
            }
        }
        return WebSocketTranscript(
            frames: frames.all, closeCode: close.map { Int(UInt16(webSocketErrorCode: $0.closeCode)) }, closeReason: close?.reason)
    }
}

/// Runs `body`, failing with the frames seen so far if it takes longer than `limit`: a
/// client that waits forever would otherwise only show up as the suite's time limit.
func withDeadline<Value: Sendable>(
    _ limit: Duration, _ what: String, frames: FrameBox, _ body: @escaping @Sendable () async throws -> Value
) async throws -> Value {
    try await withThrowingTaskGroup(of: Value?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            let seen = frames.all.map { $0.jsonString() }.joined(separator: "\n")
            throw StreamTestTimeout(description: "\(what) did not finish within \(limit); frames:\n\(seen)")
        }
        return value
    }
}

struct StreamTestTimeout: Error, CustomStringConvertible {
    var description: String
}

/// Frames collected inside the client's handler, read after it returns.
final class FrameBox: Sendable {
    private let frames = Mutex<[JSONValue]>([])

    func append(_ frame: JSONValue) -> [JSONValue] {
        frames.withLock {
            $0.append(frame)
            return $0
        }
    }

    var all: [JSONValue] { frames.withLock { $0 } }
}

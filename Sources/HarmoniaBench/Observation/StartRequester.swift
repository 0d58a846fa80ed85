import AsyncHTTPClient
import HarmoniaClient
import NIOCore
import NIOHTTP1

/// Starts executions with as little client work as possible, and times each start from
/// just before the request is handed to the HTTP client to the moment its whole response
/// body has arrived — before any decoding.
///
/// `HarmoniaClient.executeWorkflow` decodes the full execution view (every task) into
/// Swift types before returning; timed around it, the bench's own decoding would count as
/// server latency, and on two shared cores it would also slow the server. Here the request
/// body is encoded once, and only the execution id is read from the answer.
struct StartRequester: Sendable {
    /// One answered start.
    struct Start: Sendable {
        var executionID: String
        var sent: ContinuousClock.Instant
        var acked: ContinuousClock.Instant
    }

    let http: HTTPClient
    let url: String
    let apiKey: String?
    let body: [UInt8]

    init(context: BenchContext, workflowID: String) {
        http = context.http
        url = context.baseURL + "/api/v1/executions"
        apiKey = context.apiKey
        body = JSONValue.object(["workflow_id": .string(workflowID), "input": .emptyObject]).jsonBytes()
    }

    func start(clock: ContinuousClock = ContinuousClock()) async throws -> Start {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        if let apiKey { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        request.body = .bytes(ByteBuffer(bytes: body))
        let sent = clock.now
        let response = try await http.execute(request, timeout: .seconds(120))
        let bytes = try await response.body.collect(upTo: 64 * 1024 * 1024)
        let acked = clock.now
        let payload = Array(buffer: bytes)
        guard (200..<300).contains(response.status.code) else {
            let text = String(decoding: payload.prefix(500), as: UTF8.self)
            throw HarmoniaError(.benchFailed, "POST /api/v1/executions answered HTTP \(response.status.code): \(text)")
        }
        guard let id = Self.executionID(in: payload) else {
            throw HarmoniaError(.benchFailed, "POST /api/v1/executions answered without an execution_id")
        }
        return Start(executionID: id, sent: sent, acked: acked)
    }

    /// The value of the first `"execution_id":"…"` in the response (the server writes
    /// compact JSON; ids hold no escapes). Falls back to parsing the whole answer.
    static func executionID(in payload: [UInt8]) -> String? {
        let key = Array(#""execution_id":""#.utf8)
        if let start = firstIndex(of: key, in: payload) {
            let from = start + key.count
            if let end = payload[from...].firstIndex(of: UInt8(ascii: "\"")), end > from {
                return String(decoding: payload[from..<end], as: UTF8.self)
            }
        }
        let parsed = try? JSONValue.parse(payload)
        return parsed?["data"]?["execution_id"]?.stringValue ?? parsed?["execution_id"]?.stringValue
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var i = 0
        while i <= haystack.count - needle.count {
            if haystack[i] == needle[0], haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

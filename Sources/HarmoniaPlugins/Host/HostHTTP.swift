import AsyncHTTPClient
import CHarmoniaPluginABI
import HarmoniaCore
import NIOCore
import NIOHTTP1
import Synchronization

/// Where the answer to one host HTTP request goes: the plugin's answer hook with its user
/// data (in the plugin's process), or a relay that sends it to a plugin host child.
///
/// `@unchecked Sendable`: the host never looks inside `userData`; the ABI lets the hook run
/// on any host thread, and `send` is called exactly once per request (by `HostHTTP`).
struct HTTPReply: @unchecked Sendable {
    let hook: harmonia_on_http_response?
    let userData: UnsafeMutableRawPointer?
    let relay: (@Sendable (HostHTTPAnswer) -> Void)?

    init(hook: harmonia_on_http_response?, userData: UnsafeMutableRawPointer?) {
        self.hook = hook
        self.userData = userData
        self.relay = nil
    }

    init(relay: @escaping @Sendable (HostHTTPAnswer) -> Void) {
        self.hook = nil
        self.userData = nil
        self.relay = relay
    }

    func send(
        _ transportError: harmonia_type_transport_error, status: Int32 = 0, headers: [UInt8] = Array("{}".utf8),
        body: [UInt8] = [], error: String = ""
    ) {
        if let relay {
            relay(HostHTTPAnswer(transportError: transportError, status: status, headers: headers, body: body, error: error))
            return
        }
        guard let hook else { return }
        withBorrowed(headers) { headers in
            withBorrowed(body) { body in
                withBorrowed(error) { error in
                    var response = harmonia_type_http_response(
                        struct_size: MemoryLayout<harmonia_type_http_response>.size, transport_error: transportError,
                        status: status, headers_json: headers, body: body, error_message: error)
                    hook(userData, &response)
                }
            }
        }
    }
}

/// `http_request` through the host's one AsyncHTTPClient: pooling, TLS and timeouts
/// in one place, and no second HTTP stack inside plugins.
enum HostHTTP {
    private static let requestIDs = Atomic<UInt64>(0)

    /// The one client every plugin shares, for the life of the process (never shut down).
    ///
    /// Connection establishment is not retried: by default AsyncHTTPClient keeps retrying a
    /// refused connection until the request's deadline, which would turn "component down"
    /// (retryable at once, by the engine's retry policy) into a slow timeout.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// Set in a plugin host child: the plugin's requests go to the server, which performs
    /// them (with `start(plugin:_:reply:)`) and answers; nil in the server.
    static let forwarder = Mutex<(@Sendable (HostHTTPRequest, HTTPReply) -> Void)?>(nil)

    /// Copies the request and starts it; the reply comes later, exactly once.
    static func start(plugin: HostPluginContext?, request: UnsafePointer<harmonia_type_http_request>?, reply: HTTPReply) {
        let minimum = MemoryLayout<harmonia_type_http_request>.offset(of: \.invocation_id)! + MemoryLayout<UInt64>.size
        guard let request, DeclaredStruct.size(at: request) >= minimum else {
            reply.send(HARMONIA_HTTP_INVALID_REQUEST, error: "missing request, or struct_size smaller than ABI 1.0's")
            return
        }
        var r = harmonia_type_http_request()
        DeclaredStruct.copy(into: &r, from: request, declaredSize: DeclaredStruct.size(at: request))
        let copied = HostHTTPRequest(
            invocation: r.invocation_id, method: copyString(r.method), url: copyString(r.url), headers: copyBytes(r.headers_json),
            body: copyBytes(r.body), timeoutMilliseconds: UInt64(r.timeout_ms))
        if let forward = forwarder.withLock({ $0 }) {
            forward(copied, reply)
            return
        }
        start(plugin: plugin, copied, reply: reply)
    }

    /// Starts a copied request: the same limits and ownership rules whichever process the
    /// plugin runs in.
    static func start(plugin: HostPluginContext?, _ r: HostHTTPRequest, reply: HTTPReply) {
        let method = r.method.uppercased()
        let url = r.url
        let headerBytes = r.headers
        let body = r.body
        let invocation = r.invocation
        var outgoing = HTTPClientRequest(url: url)
        outgoing.method = .init(rawValue: method.isEmpty ? "GET" : method)
        if !headerBytes.isEmpty {
            guard let headers = (try? JSONValue.parse(headerBytes))?.objectValue else {
                reply.send(HARMONIA_HTTP_INVALID_REQUEST, error: "headers_json is not a JSON object")
                return
            }
            for (name, value) in headers {
                outgoing.headers.add(name: name, value: value.stringValue ?? value.jsonString())
            }
        }
        if !body.isEmpty { outgoing.body = .bytes(body) }
        let timeout = r.timeoutMilliseconds > 0 ? Duration.milliseconds(Int64(clamping: r.timeoutMilliseconds)) : (plugin?.httpTimeout ?? .seconds(30))
        let maxBytes = plugin?.maxHTTPResponseBytes ?? 32 << 20
        let prepared = outgoing
        guard invocation != 0 else {
            let limit = HTTPTimeLimit.earliest(timeout: timeout, scope: .init(), now: .now)
            Task { await perform(prepared, limit: limit, maxBytes: maxBytes, reply: reply) }
            return
        }
        let table = PluginHost.shared.invocations
        // Ids are host-issued tokens; a request naming another plugin's invocation would tie
        // its lifetime to a call that is not the caller's.
        if let plugin, let owner = table.context(invocation)?.plugin, owner != plugin.name {
            reply.send(HARMONIA_HTTP_INVALID_REQUEST, error: "invocation \(invocation) is not one of this plugin's")
            return
        }
        let requestID = requestIDs.wrappingAdd(1, ordering: .relaxed).newValue
        let refusal = table.startRequest(invocation, requestID: requestID) { scope in
            let limit = HTTPTimeLimit.earliest(timeout: timeout, scope: scope, now: .now)
            return Task {
                await perform(prepared, limit: limit, maxBytes: maxBytes, reply: reply)
                table.removeRequest(invocation, requestID: requestID)
            }
        }
        if let refusal { reply.send(HARMONIA_HTTP_CANCELED, error: refusal) }
    }

    /// What a completed exchange brought back.
    private struct Answer: Sendable {
        var status: Int32
        var headers: [UInt8]
        var body: [UInt8]
    }

    /// Runs the exchange (head and the whole body) against `limit`: whichever ends first
    /// answers the plugin, and the other is cancelled, which closes a trickling connection.
    private static func perform(_ request: HTTPClientRequest, limit: HTTPTimeLimit, maxBytes: Int, reply: HTTPReply) async {
        do {
            let answer = try await withThrowingTaskGroup(of: Answer?.self) { group in
                group.addTask { try await exchange(request, limit: limit, maxBytes: maxBytes) }
                group.addTask {
                    try await Task.sleep(until: limit.instant, clock: .continuous)
                    return nil
                }
                defer { group.cancelAll() }
                return try await group.next() ?? nil
            }
            guard let answer else {
                reply.send(HARMONIA_HTTP_TIMEOUT, error: limit.message)
                return
            }
            reply.send(HARMONIA_HTTP_OK, status: answer.status, headers: answer.headers, body: answer.body)
        } catch {
            let (kind, message) = classify(error)
            reply.send(kind, error: kind == HARMONIA_HTTP_TIMEOUT ? limit.message : message)
        }
    }

    private static func exchange(_ request: HTTPClientRequest, limit: HTTPTimeLimit, maxBytes: Int) async throws -> Answer {
        // AsyncHTTPClient's own deadline still bounds connect and head; the race in `perform`
        // bounds the body.
        let (seconds, attoseconds) = max(.zero, ContinuousClock.now.duration(to: limit.instant)).components
        let response = try await client.execute(request, timeout: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
        let body = try await response.body.collect(upTo: maxBytes)
        var headers: [String: JSONValue] = [:]
        for header in response.headers {
            let name = header.name.lowercased()
            headers[name] = .string(headers[name]?.stringValue.map { "\($0), \(header.value)" } ?? header.value)
        }
        return Answer(status: Int32(response.status.code), headers: JSONValue.object(headers).jsonBytes(), body: Array(body.readableBytesView))
    }

    /// The ABI's transport error kind for an AsyncHTTPClient error.
    static func classify(_ error: any Error) -> (harmonia_type_transport_error, String) {
        if error is CancellationError || Task.isCancelled {
            return (HARMONIA_HTTP_CANCELED, "the request was canceled: its invocation was canceled or has ended")
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .cancelled: return (HARMONIA_HTTP_CANCELED, "the request was canceled")
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout:
                return (HARMONIA_HTTP_TIMEOUT, "no complete answer in time (\(error))")
            case .invalidURL, .emptyHost, .emptyScheme:
                return (HARMONIA_HTTP_INVALID_REQUEST, "invalid request: \(error)")
            default: break
            }
        }
        let text = String(describing: error)
        if text.contains("TooManyBytes") { return (HARMONIA_HTTP_OTHER, "the response body exceeds the host's limit") }
        return (HARMONIA_HTTP_CONNECT_FAILED, text)
    }
}

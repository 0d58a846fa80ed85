import Foundation
import MCP

/// The sessions of the Streamable HTTP transport: one MCP `Server` and one
/// `StatefulHTTPServerTransport` (both from the SDK) per session, found by the
/// `Mcp-Session-Id` header, made by an `initialize` request, ended by `DELETE` or after
/// `idleTimeout` without a request.
///
/// The SDK's transport is framework-agnostic (its own HTTPRequest/HTTPResponse); the
/// server's Hummingbird route converts to and from them. This type is the part of the
/// SDK's example HTTP server that the SDK does not ship as a library: routing requests to
/// sessions.
public actor MCPHTTPSessions {
    struct Session {
        let server: Server
        let transport: StatefulHTTPServerTransport
        var lastUsed: ContinuousClock.Instant
    }

    private let makeServer: @Sendable () async -> Server
    private let validation: @Sendable () -> any HTTPRequestValidationPipeline
    private let preflight: any HTTPRequestValidationPipeline
    private let idleTimeout: Duration
    private let maxSessions: Int
    private var sessions: [String: Session] = [:]
    private let clock = ContinuousClock()

    /// - Parameters:
    ///   - loopbackOnly: check `Host` and `Origin` against localhost (DNS-rebinding
    ///     protection for a server bound to loopback); otherwise the server's CORS rules
    ///     and API keys are the protection.
    public init(
        loopbackOnly: Bool, idleTimeout: Duration = .seconds(3600), maxSessions: Int = 1000,
        makeServer: @escaping @Sendable () async -> Server
    ) {
        self.makeServer = makeServer
        self.idleTimeout = idleTimeout
        self.maxSessions = maxSessions
        self.preflight = StandardValidationPipeline(validators: [
            loopbackOnly ? OriginValidator.localhost() : OriginValidator.disabled,
            AcceptHeaderValidator(mode: .sseRequired),
            ContentTypeValidator(),
        ])
        self.validation = {
            StandardValidationPipeline(validators: [
                loopbackOnly ? OriginValidator.localhost() : OriginValidator.disabled,
                AcceptHeaderValidator(mode: .sseRequired),
                ContentTypeValidator(),
                ProtocolVersionValidator(),
                SessionValidator(),
            ])
        }
    }

    public var count: Int { sessions.count }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let now = clock.now
        // Host, Origin, Accept and Content-Type first, for every request: a malformed one
        // is refused as such (403/406/415...) whether or not its session exists.
        let context = HTTPValidationContext(
            httpMethod: request.method.uppercased(), sessionID: request.header(HTTPHeaderName.sessionID))
        if let refused = preflight.validate(request, context: context) {
            return refused
        }
        if let id = request.header(HTTPHeaderName.sessionID), var session = sessions[id] {
            session.lastUsed = now
            sessions[id] = session
            let response = await session.transport.handleRequest(request)
            if request.method.uppercased() == "DELETE", response.statusCode == 200 {
                await close(id)
            }
            return response
        }
        if request.method.uppercased() == "POST", let body = request.body, Self.isInitialize(body) {
            return await startSession(request, now: now)
        }
        if request.header(HTTPHeaderName.sessionID) != nil {
            return .error(statusCode: 404, .invalidRequest("Not Found: session not found or expired; initialize again"))
        }
        if request.method.uppercased() == "POST", (try? JSONSerialization.jsonObject(with: request.body ?? Data())) == nil {
            return .error(statusCode: 400, .parseError("the body is not a JSON-RPC message"))
        }
        return .error(statusCode: 400, .invalidRequest("Bad Request: missing \(HTTPHeaderName.sessionID) header; send initialize first"))
    }

    /// Whether `body` is an `initialize` request (the only message that may start a session).
    static func isInitialize(_ body: Data) -> Bool {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else { return false }
        return object["method"] as? String == "initialize" && object["id"] != nil
    }

    /// Ends every session (at shutdown).
    public func closeAll() async {
        for id in Array(sessions.keys) { await close(id) }
    }

    private func startSession(_ request: HTTPRequest, now: ContinuousClock.Instant) async -> HTTPResponse {
        await sweep(now: now)
        let id = UUID().uuidString.lowercased()
        let transport = StatefulHTTPServerTransport(
            sessionIDGenerator: FixedSessionID(id: id), validationPipeline: validation())
        let server = await makeServer()
        do {
            try await server.start(transport: transport)
        } catch {
            await transport.disconnect()
            return .error(statusCode: 500, .internalError("the MCP session could not start"))
        }
        sessions[id] = Session(server: server, transport: transport, lastUsed: now)
        let response = await transport.handleRequest(request)
        if case .error = response {
            await close(id)
        }
        return response
    }

    /// Ends sessions idle longer than `idleTimeout`, and the least recently used ones
    /// while there are `maxSessions` or more, so abandoned clients cannot pile up.
    private func sweep(now: ContinuousClock.Instant) async {
        for (id, session) in sessions where now - session.lastUsed > idleTimeout {
            await close(id)
        }
        while sessions.count >= maxSessions, let oldest = sessions.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key {
            await close(oldest)
        }
    }

    private func close(_ id: String) async {
        guard let session = sessions.removeValue(forKey: id) else { return }
        await session.server.stop()
        await session.transport.disconnect()
    }

    private struct FixedSessionID: SessionIDGenerator {
        let id: String
        func generateSessionID() -> String { id }
    }
}

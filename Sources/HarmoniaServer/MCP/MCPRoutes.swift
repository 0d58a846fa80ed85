import Foundation
import HarmoniaClient
import HarmoniaMCP
import HTTPTypes
import Hummingbird
import MCP
import NIOCore
import ServiceLifecycle

/// `/mcp`: the Model Context Protocol's Streamable HTTP transport on the server's one port
/// (POST a JSON-RPC message, GET the session's event stream, DELETE to end the session).
///
/// The protocol is the SDK's (`StatefulHTTPServerTransport`, one per session, kept by
/// `MCPHTTPSessions`); this type converts Hummingbird's requests and responses to the
/// SDK's framework-agnostic ones. The route sits behind the same middleware as every other
/// route, so API keys, CORS and the body limit apply to MCP as to REST; the tools call the
/// REST API on this server with the key the MCP request presented.
struct MCPRoutes: Sendable {
    let sessions: MCPHTTPSessions
    let maxBodyBytes: Int

    init(dependencies: RouteDependencies) {
        let runtime = dependencies.runtime
        self.maxBodyBytes = dependencies.maxBodyBytes
        self.sessions = MCPHTTPSessions(loopbackOnly: runtime.loopbackOnly) {
            await HarmoniaMCPServer.make { http in
                HarmoniaClient(baseURL: runtime.selfURL, apiKey: HarmoniaMCPServer.apiKey(of: http), requestTimeout: .seconds(330))
            }
        }
    }

    func addRoutes(to router: Router<HarmoniaRequestContext>) {
        router.post("mcp", use: handle)
        router.get("mcp", use: handle)
        router.delete("mcp", use: handle)
    }

    @Sendable func handle(_ request: Request, context: HarmoniaRequestContext) async throws -> Response {
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
        }
        var body: Data?
        if request.method == .post {
            let buffer = try await request.collectLimitedBody(maxBytes: maxBodyBytes)
            body = Data(buffer.readableBytesView)
        }
        let answer = await sessions.handle(
            MCP.HTTPRequest(method: request.method.rawValue, headers: headers, body: body, path: request.uri.path))
        return Self.response(answer)
    }

    static func response(_ answer: MCP.HTTPResponse) -> Response {
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let field = HTTPField.Name(name) { fields[field] = value }
        }
        let status = HTTPTypes.HTTPResponse.Status(code: answer.statusCode)
        switch answer {
        case .stream(let stream, _):
            return Response(status: status, headers: fields, body: ResponseBody { writer in
                // A session's GET stream never ends by itself: at the server's graceful
                // shutdown it is ended (cleanly, like the /events streams), or an agent that
                // stays connected would hold the shutdown open.
                let box = ResponseWriterBox(writer)
                try await cancelWhenGracefulShutdown {
                    for try await chunk in stream {
                        try await box.write(ByteBuffer(bytes: chunk))
                    }
                }
                try await writer.finish(nil)
            })
        default:
            let bytes = answer.bodyData.map { ByteBuffer(bytes: $0) } ?? ByteBuffer()
            return Response(status: status, headers: fields, body: .init(byteBuffer: bytes))
        }
    }
}

import Foundation
import HarmoniaCore
import HTTPTypes
import Hummingbird
import Synchronization

extension HermesDouble {
    static let tokenHeader = HTTPField.Name("X-Authentication-Token")!

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/api/register") { request, _ in
            let body = await Self.body(request)
            return self.respond(request, body: body, self.register(body ?? .null))
        }
        router.post("/api/heartbeat") { request, _ in
            let body = await Self.body(request)
            return self.respond(request, body: body, self.heartbeat(token: request.headers[Self.tokenHeader], body: body ?? .null))
        }
        router.post("/api/unregister") { request, _ in
            let id = request.uri.queryParameters.get("component_id")
            return self.respond(request, body: nil, self.unregister(token: request.headers[Self.tokenHeader], componentID: id))
        }
        router.get("/api/components") { request, _ in
            self.respond(request, body: nil, self.components(capability: request.uri.queryParameters.get("capability")))
        }
        router.get("/api/components/:name") { request, context in
            self.respond(request, body: nil, self.component(named: context.parameters.get("name") ?? ""))
        }
        router.post("/api/query") { request, _ in
            let body = await Self.body(request)
            return self.respond(request, body: body, self.query(body ?? .emptyObject))
        }
        router.post("/api/mcp/v2/tools") { request, _ in
            let body = await Self.body(request)
            return self.respond(request, body: body, self.registerTool(body ?? .null))
        }
        router.get("/api/mcp/v2/tools") { request, _ in
            self.respond(request, body: nil, self.listTools())
        }
        router.delete("/api/mcp/v2/tools/:id") { request, context in
            self.respond(request, body: nil, self.unregisterTool(id: context.parameters.get("id") ?? ""))
        }
        router.get("/health") { request, _ in
            self.respond(
                request, body: nil,
                .ok(.object(["status": .string("healthy"), "component": .string("hermes"), "version": .string("0.1.0")])))
        }
        return router
    }

    private static func body(_ request: Request) async -> JSONValue? {
        var request = request
        guard let buffer = try? await request.collectBody(upTo: 1 << 20), buffer.readableBytes > 0 else { return nil }
        return try? JSONValue.parse(Array(buffer.readableBytesView))
    }

    /// Stamps the time before computing the answer, so a test knows that an answer stamped
    /// after a change to the registry reflects that change.
    private func respond(_ request: Request, body: JSONValue?, _ answer: @autoclosure () -> Answer) -> Response {
        let at = ContinuousClock.now
        let (status, json): (Int, JSONValue) =
            switch answer() {
            case .ok(let json): (200, json)
            case .status(let status, let json): (status, json)
            }
        let path = request.uri.path
        let recorded = Recorded(
            method: request.method.rawValue, path: path, query: request.uri.query ?? "",
            token: request.headers[Self.tokenHeader], body: body, status: status, at: at)
        state.withLock { $0.requests.append(recorded) }
        return Response(
            status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: json.jsonBytes())))
    }
}

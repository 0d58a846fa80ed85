import Foundation
import HarmoniaPluginKit
import Hummingbird
import Logging
import NIOCore

/// A component double: a small Hummingbird app speaking one Tekton component's protocol.
protocol TektonDouble: Sendable {
    /// Every request received.
    var calls: CallLog { get }
    /// Adds the component's routes.
    func addRoutes(to router: Router<BasicRequestContext>)
}

extension TektonDouble {
    /// Serves the double on 127.0.0.1 (an ephemeral port) while `body` runs with its base URL.
    func serve<T: Sendable>(_ body: (String) async throws -> T) async throws -> T {
        let router = Router()
        router.add(middleware: RecordingMiddleware(calls: calls))
        router.add(middleware: FastAPINotFoundMiddleware())
        addRoutes(to: router)
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self, bufferingPolicy: .bufferingNewest(1))
        var logger = Logger(label: "tekton-double")
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portSink.yield(channel.localAddress?.port ?? 0)
                portSink.finish()
            }, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            do {
                var iterator = ports.makeAsyncIterator()
                guard let port = await iterator.next(), port > 0 else { throw DoubleError("the double did not start") }
                let result = try await body("http://127.0.0.1:\(port)")
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }
}

struct DoubleError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Records each request (method, raw path, query, JSON body) before routing it.
struct RecordingMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let calls: CallLog

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        let buffer = try await request.collectBody(upTo: 4 << 20)
        let body = buffer.readableBytes == 0 ? PluginJSON.null : ((try? PluginJSON.parse(Array(buffer.readableBytesView))) ?? .null)
        calls.record(.init(method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "", body: body))
        return try await next(request, context)
    }
}

/// FastAPI's answer to a route it does not serve: 404 `{"detail": "Not Found"}`.
struct FastAPINotFoundMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return .json(["detail": "Not Found"], status: .notFound)
        }
    }
}

extension Response {
    /// A JSON response.
    static func json(_ value: PluginJSON, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.jsonBytes())))
    }
}

extension BasicRequestContext {
    /// A path parameter percent-decoded, as FastAPI (Starlette) hands it to its handlers.
    func pathParameter(_ name: String) -> String {
        let raw = parameters.get(name) ?? ""
        return raw.removingPercentEncoding ?? raw
    }
}

extension Request {
    /// The body as JSON (already collected by `RecordingMiddleware`).
    mutating func json() async throws -> PluginJSON {
        let buffer = try await collectBody(upTo: 4 << 20)
        guard buffer.readableBytes > 0 else { return .null }
        return try PluginJSON.parse(Array(buffer.readableBytesView))
    }
}

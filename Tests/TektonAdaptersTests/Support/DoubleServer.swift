import Foundation
import HarmoniaPluginKit
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A component double: a small Hummingbird app speaking one Tekton component's protocol.
protocol TektonDouble: Sendable {
    /// Every request received.
    var calls: CallLog { get }
    /// Adds the component's routes.
    func addRoutes(to router: Router<BasicRequestContext>)
}

extension TektonDouble {
    /// Serves the double on 127.0.0.1 (an ephemeral port unless `port` says which) while
    /// `body` runs with its base URL.
    func serve<T: Sendable>(port: Int = 0, _ body: (String) async throws -> T) async throws -> T {
        let router = Router()
        router.add(middleware: RecordingMiddleware(calls: calls))
        router.add(middleware: FastAPINotFoundMiddleware())
        addRoutes(to: router)
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self, bufferingPolicy: .bufferingNewest(1))
        var logger = Logger(label: "tekton-double")
        logger.logLevel = .critical
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in
                portSink.yield(channel.localAddress?.port ?? 0)
                portSink.finish()
            }, logger: logger)
        // Stopped the way SIGTERM would stop it, not by cancelling: cancelling a Hummingbird
        // server while it accepts a connection traps in NIO ("Deinited NIOAsyncWriter without
        // calling finish()"), which crashed a whole test run on a loaded machine. Only after a
        // failure is it cancelled, so that a stream a double still holds cannot keep it up.
        let services = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let server = Task { try await services.run() }
        let result: T
        do {
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else { throw DoubleError("the double did not start") }
            result = try await body("http://127.0.0.1:\(port)")
        } catch {
            server.cancel()
            _ = await server.result
            throw error
        }
        await services.triggerGracefulShutdown()
        _ = await server.result
        return result
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

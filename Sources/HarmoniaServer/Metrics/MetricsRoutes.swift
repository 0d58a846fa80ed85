import Hummingbird
import NIOCore

/// `GET /metrics`: the Prometheus text exposition format.
struct MetricsRoutes: Sendable {
    let dependencies: RouteDependencies
    let metrics: HarmoniaMetrics

    func addRoutes(to router: Router<HarmoniaRequestContext>) {
        router.get("metrics", use: scrape)
    }

    @Sendable func scrape(_ request: Request, context: HarmoniaRequestContext) async throws -> Response {
        let bytes = try await metrics.render(engine: dependencies.engine, store: dependencies.store)
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

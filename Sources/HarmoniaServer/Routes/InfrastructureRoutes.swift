import HarmoniaAPIModels
import HarmoniaCore
import HarmoniaEngine
import Hummingbird
import Logging

/// Routes outside `/api`: liveness, readiness, discovery and the service description.
/// They answer from memory only, so they keep working while the store is slow.
struct InfrastructureRoutes: Sendable {
    let dependencies: RouteDependencies

    static let description = "Workflow orchestration for the Tekton ecosystem"
    static let capabilities = [
        "workflow_definitions", "workflow_versions", "dag_execution", "conditions", "retries", "timeouts",
        "pause_resume_cancel", "idempotent_execution", "event_log", "yaml_definitions",
        "websocket_events", "sse_events", "dashboard", "prometheus_metrics", "workflow_templates", "checkpoints",
    ]

    func addRoutes(to router: Router<HarmoniaRequestContext>) {
        router.get("health", use: health)
        router.get("ready", use: ready)
        router.post("shutdown", use: shutdown)
        router.post("api/shutdown", use: shutdown)
        router.get("discovery", use: discovery)
        router.get("/", use: root)
    }

    /// Always 200 while the process serves (Tekton's launcher only checks the status code);
    /// `degraded` while the engine recovers or drains, or the store refuses writes.
    @Sendable func health(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        let status = dependencies.engine.status
        let healthy = status.isReady && !status.isDraining && status.storageWritable
        return JSONResponse(
            body: HealthResponse(
                status: healthy ? "healthy" : "degraded", version: HarmoniaVersion.current,
                port: dependencies.runtime.port, registered: dependencies.hermes?.isRegistered ?? false,
                uptime: dependencies.runtime.uptime))
    }

    /// 200 once recovery has finished and until shutdown starts, unless the store refuses
    /// writes; 503 `not_ready` otherwise. Both carry the boolean `ready` that Tekton's status
    /// tool reads.
    @Sendable func ready(_ request: Request, context: HarmoniaRequestContext) async throws -> Response {
        let status = dependencies.engine.status
        let runtime = dependencies.runtime
        let problem: String? =
            !status.isReady ? "the engine is still recovering executions"
            : status.isDraining ? "the server is shutting down"
            : !status.storageWritable
                ? "the store refuses writes (disk full or I/O error); failed writes are retried every second" : nil
        guard let problem else {
            return JSONResponse(
                body: ReadyResponse(version: HarmoniaVersion.current, uptime: runtime.uptime)
            ).makeResponse()
        }
        return JSONResponse(
            status: .serviceUnavailable,
            body: ReadyResponse(
                status: "not_ready", ready: false, version: HarmoniaVersion.current, uptime: runtime.uptime,
                code: HarmoniaError.Code.notReady.rawValue, detail: problem)
        ).makeResponse()
    }

    /// Tekton's stop script asks components to stop with `POST /shutdown` (then falls back
    /// to SIGTERM): the same graceful shutdown as SIGTERM, answered 202 before it begins.
    /// Without API keys only a caller on this machine may ask (with keys, the key middleware
    /// has already checked the caller's).
    @Sendable func shutdown(_ request: Request, context: HarmoniaRequestContext) async throws -> Response {
        if !dependencies.keysRequired {
            guard let peer = context.remoteAddress?.ipAddress, HarmoniaConfiguration.isLoopback(peer) else {
                throw HarmoniaError(.forbidden, "shutdown is accepted only from this machine (or with an API key)")
            }
        }
        guard dependencies.runtime.requestShutdown() else {
            throw HarmoniaError(.notReady, "this server cannot be stopped over HTTP (no service group runs it)")
        }
        context.logger.notice("shutdown requested over HTTP")
        return JSONResponse(
            status: .accepted, body: ShutdownResponse(message: "Harmonia is shutting down gracefully")
        ).makeResponse()
    }

    @Sendable func discovery(_ request: Request, context: HarmoniaRequestContext) async throws -> some ResponseGenerator {
        JSONResponse(
            body: DiscoveryResponse(
                name: "Harmonia", version: HarmoniaVersion.current, description: Self.description,
                endpoint: dependencies.runtime.baseURL, port: dependencies.runtime.port,
                capabilities: Self.capabilities, endpoints: RouteCatalog.documented))
    }

    /// The dashboard for a browser (it accepts `text/html`), the service description as
    /// JSON for everything else.
    @Sendable func root(_ request: Request, context: HarmoniaRequestContext) async throws -> Response {
        if DashboardAssets.prefersHTML(request), let page = DashboardAssets.shared.response(for: "index.html") {
            return page
        }
        return JSONResponse(
            body: ServiceInfo(
                name: "Harmonia", version: HarmoniaVersion.current, description: Self.description,
                endpoints: RouteCatalog.documented)
        ).makeResponse()
    }
}

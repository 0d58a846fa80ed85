import HarmoniaCore
import HarmoniaEngine
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// The Hummingbird application serving Harmonia's HTTP API on one port.
///
/// The engine is one of the application's services, so running the application (or testing
/// it with HummingbirdTesting) runs the engine too, and graceful shutdown stops the HTTP
/// server before the engine: no request can reach an engine that is gone. Call
/// `engine.prepare()` before running the application so `/ready` means "recovered".
///
/// One router serves REST, SSE and WebSocket on the one port: it is both the HTTP router
/// and the WebSocket upgrade router (Hummingbird asks it whether a `ws` route matches).
///
/// - Parameters:
///   - streaming: keepalive and buffer settings of the live event streams.
///   - runtime: facts about the running server, and the hook `POST /shutdown` pulls; the
///     runner passes its own to connect that hook to its service group.
///   - onServerRunning: called once the socket listens, with the bound port.
public func buildApplication(
    configuration: HarmoniaConfiguration,
    store: any Store,
    engine: Engine,
    logger: Logger? = nil,
    streaming: StreamingConfiguration = .init(),
    hermes: HermesServices? = nil,
    components: ComponentCatalog? = nil,
    runtime: ServerRuntime? = nil,
    onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    var logger = logger ?? Logger(label: "harmonia.server")
    logger.logLevel = configuration.logLevel
    let runtime = runtime ?? ServerRuntime(host: configuration.host, port: configuration.port)
    let schedules = ScheduleService(engine: engine, logger: logger.with(label: "harmonia.schedules"))
    let dependencies = RouteDependencies(
        store: store, engine: engine, runtime: runtime, maxBodyBytes: configuration.maxBodyBytes,
        hermes: hermes, components: components, keysRequired: !configuration.apiKeys.isEmpty, schedules: schedules)
    let metrics = HarmoniaMetrics()
    engine.onAdapterCall { metrics.observe($0) }
    engine.events.addObserver { metrics.observe($0) }
    let router = buildRouter(
        dependencies: dependencies, apiKeys: configuration.apiKeys, corsOrigins: configuration.corsOrigins,
        streaming: streaming, metrics: metrics)
    return Application(
        router: router,
        server: .quiescingHTTP1WebSocketUpgrade(
            webSocketRouter: router, limits: configuration.http, apiKeys: configuration.apiKeys),
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port), serverName: "harmonia"),
        services: [
            engine,
            StuckExecutionMonitor(
                store: store, engine: engine, interval: configuration.stuckCheckInterval, logger: logger,
                report: { metrics.stuck($0) }),
            // Last: stopped first at shutdown, so no run starts while the engine drains.
            schedules,
        ],
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? configuration.port
            runtime.serverStarted(port: port)
            await onServerRunning(port)
        },
        logger: logger)
}

/// Middleware outermost first, then infrastructure routes and the business routes under
/// each API prefix.
func buildRouter(
    dependencies: RouteDependencies, apiKeys: [String],
    corsOrigins: [String] = HarmoniaConfiguration.defaultCORSOrigins, streaming: StreamingConfiguration = .init(),
    metrics: HarmoniaMetrics = HarmoniaMetrics()
) -> Router<HarmoniaRequestContext> {
    let router = Router(context: HarmoniaRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    // Outside the key check: preflights carry no key, and error answers need the headers.
    if !corsOrigins.isEmpty {
        router.add(middleware: CORSMiddleware(origins: corsOrigins))
    }
    router.add(middleware: ErrorMiddleware())
    if !apiKeys.isEmpty {
        router.add(middleware: APIKeyMiddleware(keys: apiKeys))
    }
    router.add(middleware: BodyLimitMiddleware(maxBytes: dependencies.maxBodyBytes))

    InfrastructureRoutes(dependencies: dependencies).addRoutes(to: router)
    StreamRoutes(dependencies: dependencies, configuration: streaming, metrics: metrics).addRoutes(to: router)
    MetricsRoutes(dependencies: dependencies, metrics: metrics).addRoutes(to: router)
    DashboardRoutes(assets: .shared).addRoutes(to: router)
    SchemaRoutes().addRootRoutes(to: router)
    MCPRoutes(dependencies: dependencies).addRoutes(to: router)
    let starter = ExecutionStarter(dependencies: dependencies)
    for prefix in RouteCatalog.prefixes {
        let group = router.group(RouterPath(prefix))
        WorkflowRoutes(dependencies: dependencies, executions: starter).addRoutes(to: group)
        ExecutionRoutes(dependencies: dependencies, starter: starter).addRoutes(to: group)
        StatusRoutes(dependencies: dependencies).addRoutes(to: group)
        TemplateRoutes(dependencies: dependencies).addRoutes(to: group)
        CheckpointRoutes(dependencies: dependencies).addRoutes(to: group)
        ScheduleRoutes(dependencies: dependencies).addRoutes(to: group)
        InstanceRoutes(dependencies: dependencies).addRoutes(to: group)
        ComponentRoutes(dependencies: dependencies).addRoutes(to: group)
        SchemaRoutes().addRoutes(to: group)
        MCPToolRoutes(dependencies: dependencies).addRoutes(to: group)
    }
    return router
}

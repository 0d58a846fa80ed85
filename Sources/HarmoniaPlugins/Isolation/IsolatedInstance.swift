import Dispatch
import Foundation
import HarmoniaCore
import HarmoniaSpawn

#if canImport(Glibc)
import Glibc
#endif
import Logging
import Synchronization

/// One component instance served by a plugin host child (`isolation: process`), seen by
/// `PluginAdapter` like an in-process instance.
///
/// Calls are registered in the server's invocation table exactly as in-process ones (so
/// deadlines, cancellation, the cleanup window and host HTTP ownership are the same code),
/// sent to the child as frames, and completed when the child sends the plugin's
/// completion. When the child ends unexpectedly (crash, or killed after its pings went
/// unanswered) every call in flight on it ends as retryable `component_crashed` naming the
/// signal and the last lines of its stderr, and `HostSupervision` decides the rest: the
/// component is unavailable (tasks wait, with that reason) until a new child is up after a
/// backoff, or, after a crash loop, until a reload.
final class IsolatedInstance: PluginCallTarget, Sendable {
    let path: String
    let component: String
    let pluginName: String
    private let config: [UInt8]
    private let configuration: PluginsConfiguration
    private let registry: AdapterRegistry
    let logger: Logger
    /// The host context of host HTTP requests the child forwards (same limits as in-process).
    private let hostContext: HostPluginContext

    private struct State {
        var connection: HostConnection?
        var supervision: HostSupervision
        /// Calls sent to the current child and not completed yet.
        var inFlight: Set<UInt64> = []
        /// The adapter to register again after a restart; nil once retired.
        var adapter: PluginAdapter?
        /// When the oldest unanswered ping was sent (nil: none is outstanding). Timed from
        /// the send, not from the last answer: a late ping (the server busy) is no sign of a
        /// hung child.
        var pingOutstandingSince: ContinuousClock.Instant?
        /// Pings sent since the last answer: a child is hung only when several went out on
        /// time and none came back, not when the server itself stalled and sent none.
        var pingsUnanswered = 0
    }

    private let state: Mutex<State>
    private let pingNonces = Atomic<UInt64>(0)

    init(path: String, component: String, pluginName: String, config: JSONValue, configuration: PluginsConfiguration,
         registry: AdapterRegistry, logger: Logger) {
        self.path = path
        self.component = component
        self.pluginName = pluginName
        self.config = config.jsonBytes()
        self.configuration = configuration
        self.registry = registry
        var logger = logger
        logger[metadataKey: "plugin"] = .string(pluginName)
        logger[metadataKey: "component"] = .string(component)
        logger[metadataKey: "isolation"] = "process"
        self.logger = logger
        self.hostContext = HostPluginContext(
            name: pluginName, path: path, logger: logger, httpTimeout: configuration.defaultHTTPTimeout,
            maxHTTPResponseBytes: configuration.maxHTTPResponseBytes)
        self.state = Mutex(State(supervision: HostSupervision(settings: configuration.isolationSettings)))
    }

    /// Starts the first child (blocking: call it off the cooperative pool); nil when it
    /// serves, else why not.
    func start(adopting launched: LaunchedHost? = nil) -> String? {
        switch startChild(adopting: launched) {
        case .success:
            perform(state.withLock { $0.supervision.started() })
            return nil
        case .failure(let error):
            _ = state.withLock { $0.supervision.retire() }
            return error.reason
        }
    }

    /// The adapter to register again after each restart.
    func bind(_ adapter: PluginAdapter) {
        state.withLock { $0.adapter = adapter }
    }

    /// Takes the instance out of service: no more restarts; its child stops once the calls
    /// in flight on it have completed (at once when there are none).
    func retire() {
        let (actions, idle, connection) = state.withLock { state in
            state.adapter = nil
            return (state.supervision.retire(), state.inFlight.isEmpty, state.connection)
        }
        if idle || actions.isEmpty { connection?.stop() }
    }

    /// Server shutdown (after the engine drained): stops the child now and waits until it
    /// has been reaped (at most about a second: then it is killed).
    func shutdown() async {
        let connection = state.withLock { state in
            state.adapter = nil
            _ = state.supervision.retire()
            return state.connection
        }
        guard let connection else { return }
        connection.stop(grace: .seconds(1))
        _ = await connection.process.exit()
    }

    /// A reload found the file unchanged: restarts a host that was given up on after a crash loop.
    func revive() {
        perform(state.withLock { $0.supervision.revive() })
    }

    /// What its plugin host is doing, for the components listing.
    var hostState: PluginHostState {
        switch state.withLock({ $0.supervision.phase }) {
        case .starting: .starting
        case .running: .running
        case .waiting: .restarting
        case .gaveUp: .crashLooped
        case .retired: .stopped
        }
    }

    deinit {
        state.withLock { $0.connection }?.stop()
    }

    // MARK: PluginCallTarget

    func invoke(_ id: UInt64, action: String, input: [UInt8], context: [UInt8]) {
        let connection = state.withLock { state -> HostConnection? in
            guard let connection = state.connection, state.supervision.phase == .running || state.supervision.phase == .retired
            else { return nil }
            state.inFlight.insert(id)
            return connection
        }
        guard let connection else {
            PluginHost.shared.invocations.resolve(
                id,
                .failure(
                    TaskFailure(
                        .componentCrashed, "component '\(component)' is not served right now: its plugin host is not running",
                        retryable: true)))
            return
        }
        // A failed send means the child is gone: its end resolves this call with the others.
        connection.channel.send(.invoke(id: id, action: action, input: input, context: context))
    }

    func cancel(_ id: UInt64) {
        state.withLock { $0.connection }?.channel.send(.cancel(id: id))
    }

    // MARK: Children

    /// Starts a child, or adopts `launched` (the child that described the file), and has it
    /// create the instance.
    private func startChild(adopting launched: LaunchedHost? = nil) -> Result<HostConnection, HostStartError> {
        let settings = configuration.isolationSettings
        let host: LaunchedHost
        if let launched {
            host = launched
        } else {
            switch Self.launch(path: path, configuration: configuration, logger: logger) {
            case .success(let started): host = started
            case .failure(let error): return .failure(error)
            }
        }
        host.route.adopt(self)
        let connection = host.connection
        let mailbox = host.mailbox
        let deadline = DispatchTime.now() + .milliseconds(Int(HostConnection.milliseconds(settings.startTimeout)))
        func fail(_ what: String) -> Result<HostConnection, HostStartError> {
            connection.stop(grace: .zero)
            let ending = connection.process.waitUntilExit()
            return .failure(HostStartError(reason: "\(what): \(connection.describe(ending))"))
        }
        connection.channel.send(.instanceNew(component: component, config: config))
        switch mailbox.next(by: deadline) {
        case .instanceResult(nil)?: break
        case .instanceResult(let failure?)?:
            connection.stop()
            return .failure(HostStartError(reason: "rejected its configuration for '\(component)': \(failure)"))
        default: return fail("the plugin host for \(path) did not create the instance within \(settings.startTimeout)")
        }
        state.withLock { state in
            state.connection = connection
            state.pingOutstandingSince = nil
            state.pingsUnanswered = 0
        }
        connection.process.onExit { [weak self] ending in self?.childEnded(connection, ending) }
        startPings(connection)
        logger.info("plugin host started (pid \(connection.process.pid)) for \(path)")
        return .success(connection)
    }

    /// Pings the child; one that leaves a ping unanswered for `pingTimeout` is killed as hung.
    private func startPings(_ connection: HostConnection) {
        let settings = configuration.isolationSettings
        Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: settings.pingInterval)
                guard let self else { return }
                let now = ContinuousClock.now
                let (current, outstanding) = state.withLock { state in
                    guard state.connection === connection else { return (false, nil as ContinuousClock.Instant?) }
                    if state.pingOutstandingSince == nil { state.pingOutstandingSince = now }
                    state.pingsUnanswered += 1
                    return (true, state.pingsUnanswered > 3 ? state.pingOutstandingSince : nil)
                }
                guard current, connection.process.isRunning else { return }
                if let outstanding, outstanding.duration(to: now) > settings.pingTimeout {
                    connection.killReason.withLock {
                        $0 = "its plugin host (pid \(connection.process.pid)) stopped answering for \(settings.pingTimeout) and was killed"
                    }
                    logger.error("plugin host (pid \(connection.process.pid)) did not answer pings for \(settings.pingTimeout); killing it")
                    connection.process.send(SIGKILL)
                    return
                }
                connection.channel.send(.ping(nonce: pingNonces.wrappingAdd(1, ordering: .relaxed).newValue))
            }
        }
    }

    func receive(_ message: HostMessage, from connection: HostConnection) {
        let table = PluginHost.shared.invocations
        switch message {
        case .complete(let id, let result):
            let drained = state.withLock { state -> Bool in
                state.inFlight.remove(id)
                return state.supervision.phase == .retired && state.inFlight.isEmpty
            }
            HostCallbacks.deliver(id, result)
            if drained { connection.stop() }
        case .progress(let id, let text):
            guard let context = table.context(id), table.isPending(id) else { return }
            context.progress(text)
        case .log(let invocation, let level, let text):
            var logger = self.logger
            if invocation != 0 {
                logger[metadataKey: "invocation"] = .stringConvertible(invocation)
                if let context = table.context(invocation) {
                    logger[metadataKey: "action"] = .string("\(context.component).\(context.action)")
                }
            }
            logger.log(level: ForwardingLogHandler.level(level), "\(text)")
        case .pong:
            state.withLock { state in
                state.pingOutstandingSince = nil
                state.pingsUnanswered = 0
            }
        case .httpRequest(let id, let request):
            let channel = connection.channel
            HostHTTP.start(plugin: hostContext, request, reply: HTTPReply(relay: { channel.send(.httpResponse(id: id, answer: $0)) }))
        case .hello, .instanceResult, .instanceNew, .invoke, .cancel, .ping, .httpResponse:
            logger.warning("plugin host sent an unexpected message (kind \(message.kind)); ignored")
        }
    }

    /// The child ended: its calls end as `component_crashed`, and the supervision decides
    /// whether and when a new one starts.
    private func childEnded(_ connection: HostConnection, _ ending: SpawnedProcess.Ending) {
        let cause = connection.describe(ending)
        let reason = "component '\(component)' crashed: \(cause)"
        let (ids, actions) = state.withLock { state -> (Set<UInt64>, [HostSupervision.Action]) in
            guard state.connection === connection else { return ([], []) }
            state.connection = nil
            defer { state.inFlight = [] }
            return (state.inFlight, state.supervision.ended(reason: reason, now: .now))
        }
        guard !actions.isEmpty || !ids.isEmpty else { return }
        logger.error("\(reason)")
        // Unavailable first: a retry of the failed calls then waits for the restart instead
        // of finding the dead child.
        perform(actions)
        for id in ids {
            PluginHost.shared.invocations.resolve(id, .failure(TaskFailure(.componentCrashed, reason, retryable: true)))
        }
    }

    private func perform(_ actions: [HostSupervision.Action]) {
        for action in actions {
            switch action {
            case .register:
                guard let adapter = state.withLock({ $0.adapter }) else { continue }
                registry.register(adapter)
                logger.info("component '\(component)' is served again by a new plugin host")
            case .markUnavailable(let reason):
                if let current = registry.adapter(for: component) as? PluginAdapter, current.instance !== self { continue }
                guard state.withLock({ $0.adapter }) != nil else { continue }
                registry.markUnavailable(component: component, reason: reason)
            case .restart(let delay):
                DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(HostConnection.milliseconds(delay)))) {
                    [weak self] in self?.restart()
                }
            case .stop:
                state.withLock { $0.connection }?.stop()
            }
        }
    }

    private func restart() {
        guard state.withLock({ $0.supervision.restarting() }) else { return }
        switch startChild() {
        case .success:
            perform(state.withLock { $0.supervision.started() })
        case .failure(let error):
            let reason = "component '\(component)' could not be restarted: \(error.reason)"
            logger.error("\(reason)")
            perform(state.withLock { $0.supervision.ended(reason: reason, now: .now) })
        }
    }
}

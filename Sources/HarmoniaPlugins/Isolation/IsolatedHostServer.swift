import CHarmoniaPluginABI
import Foundation
import HarmoniaCore
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The plugin host child (`harmonia plugin-host`): loads one adapter library through the
/// server's own loader (trust check, `dlopen`, handshake, `on_init`), creates one instance
/// and serves it over the socket on its stdin, in `HostMessage` frames.
///
/// The plugin sees the same host table as in the server: `complete` and `progress` go
/// through this process's invocation table (keyed by the server's invocation tokens) and
/// back as frames; `http_request` is sent to the server, which performs it under the same
/// rules as for an in-process plugin; log records are forwarded. The child exits when the
/// socket reaches end of file, which is also how it never outlives the server: the kernel
/// closes the server's end whenever the server ends, even by `kill -9`.
public final class IsolatedHostServer: Sendable {
    let channel: FrameChannel
    let library: PluginLibrary
    let logger: Logger
    private let instance = Mutex<PluginInstance?>(nil)
    private let component = Mutex("")
    private let pendingHTTP = Mutex<[UInt64: HTTPReply]>([:])
    private let requestIDs = Atomic<UInt64>(0)

    init(channel: FrameChannel, library: PluginLibrary, logger: Logger) {
        self.channel = channel
        self.library = library
        self.logger = logger
    }

    /// Starts the child's work on a thread of its own (loading runs plugin code, and reading
    /// blocks): the process exits from there when the server closes the socket. The caller
    /// just keeps the process alive.
    public static func start(library path: String, httpTimeout: Duration, maxHTTPResponseBytes: Int, logLevel: String) {
        let logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let thread = Thread {
            run(library: path, httpTimeout: httpTimeout, maxHTTPResponseBytes: maxHTTPResponseBytes, logLevel: logLevel)
        }
        thread.name = "harmonia-plugin-host"
        thread.start()
    }

    private static func run(library path: String, httpTimeout: Duration, maxHTTPResponseBytes: Int, logLevel: Logger.Level) -> Never {
        signal(SIGPIPE, SIG_IGN)
        // Signals meant for the server (a terminal's Ctrl-C reaches the whole process group,
        // a service manager's stop too) must not end the child before the server drained its
        // calls: the child ends with its socket instead. SIGKILL still works.
        for ignored in [SIGINT, SIGTERM, SIGHUP] { signal(ignored, SIG_IGN) }
        // A plugin's fault ends the child at once: the Swift runtime's crash handler would
        // symbolicate a backtrace for seconds first (holding the component's calls and
        // looking hung); the server reports the signal and the last stderr lines instead.
        for fatal in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP] { signal(fatal, SIG_DFL) }
        let channel = FrameChannel(fd: 0)
        LoggingSystem.bootstrap { _ in ForwardingLogHandler(channel: channel, logLevel: logLevel) }
        let logger = Logger(label: "harmonia.plugin-host")
        let library: PluginLibrary
        switch PluginLoader.open(path: path) {
        case .success(let opened): library = opened
        case .failure(let error):
            channel.send(.hello(record: [], failure: error.message))
            exit(3)
        }
        let context = HostPluginContext(
            name: library.description.name, path: path, logger: logger, httpTimeout: httpTimeout,
            maxHTTPResponseBytes: maxHTTPResponseBytes)
        if let reason = library.initialize(context: context) {
            channel.send(.hello(record: [], failure: reason))
            exit(3)
        }
        let record = PluginLoader.record(library.description, path: path, status: .loaded)
        let encoded = (try? JSONEncoder().encode(record)).map(Array.init) ?? []
        channel.send(.hello(record: encoded, failure: nil))
        let server = IsolatedHostServer(channel: channel, library: library, logger: logger)
        HostHTTP.forwarder.withLock { $0 = { request, reply in server.forward(request, reply) } }
        _ = channel.readLoop { server.handle($0) }
        // The server is gone or done with this child: end without running the plugin's
        // destructors on threads it may still be using.
        _exit(0)
    }

    func handle(_ message: HostMessage) {
        switch message {
        case .instanceNew(let name, let config):
            let configuration = (try? JSONValue.parse(config)) ?? .emptyObject
            switch library.newInstance(component: name, configuration: configuration) {
            case .success(let pointer):
                instance.withLock { $0 = PluginInstance(library: library, component: name, pointer: pointer) }
                component.withLock { $0 = name }
                channel.send(.instanceResult(failure: nil))
            case .failure(let error):
                channel.send(.instanceResult(failure: error.message))
            }
        case .invoke(let id, let action, let input, let context):
            invoke(id, action: action, input: input, context: context)
        case .cancel(let id):
            instance.withLock { $0 }?.cancel(id)
        case .ping(let nonce):
            channel.send(.pong(nonce: nonce))
        case .httpResponse(let id, let answer):
            guard let reply = pendingHTTP.withLock({ $0.removeValue(forKey: id) }) else { return }
            reply.send(answer.transportError, status: answer.status, headers: answer.headers, body: answer.body, error: answer.error)
        case .hello, .instanceResult, .complete, .progress, .log, .pong, .httpRequest:
            logger.warning("plugin host received a message meant for the server (kind \(message.kind)); ignored")
        }
    }

    /// Starts the call on the plugin; its completion (through this process's invocation
    /// table) is sent back as `complete`.
    private func invoke(_ id: UInt64, action: String, input: [UInt8], context: [UInt8]) {
        guard let instance = instance.withLock({ $0 }) else {
            channel.send(
                .complete(id: id, result: .failure(TaskFailure(.componentUnavailable, "the plugin host has no instance", retryable: true))))
            return
        }
        let table = PluginHost.shared.invocations
        let channel = self.channel
        table.insert(
            id,
            context: .init(
                plugin: library.description.name, component: instance.component, action: action, logger: logger,
                progress: { channel.send(.progress(id: id, message: $0)) }))
        Task {
            let result = await withCheckedContinuation { continuation in
                guard table.attach(id, continuation) else { return }
                instance.invoke(id, action: action, input: input, context: context)
            }
            channel.send(.complete(id: id, result: result))
        }
    }

    /// A host HTTP request of the plugin: the server performs it and answers with the id.
    func forward(_ request: HostHTTPRequest, _ reply: HTTPReply) {
        let id = requestIDs.wrappingAdd(1, ordering: .relaxed).newValue
        pendingHTTP.withLock { $0[id] = reply }
        guard channel.send(.httpRequest(id: id, request: request)) else {
            guard let reply = pendingHTTP.withLock({ $0.removeValue(forKey: id) }) else { return }
            reply.send(HARMONIA_HTTP_CANCELED, error: "the server closed the plugin host")
            return
        }
    }
}

import Foundation
import Synchronization

/// Facts about the running server that routes report: when it started and which port it
/// actually bound (with `--port 0` only the listening socket knows).
public final class ServerRuntime: Sendable {
    let configuredHost: String
    let configuredPort: Int
    private let started = ContinuousClock.now
    private let boundPort: Mutex<Int?> = Mutex(nil)
    /// Starts the graceful shutdown of whatever runs the server; set by the runner.
    private let shutdownHook: Mutex<(@Sendable () async -> Void)?> = Mutex(nil)

    public init(host: String, port: Int) {
        self.configuredHost = host
        self.configuredPort = port
    }

    /// Records the port of the listening socket.
    func serverStarted(port: Int?) {
        boundPort.withLock { $0 = port }
    }

    /// Lets `POST /shutdown` start the same graceful shutdown as SIGTERM.
    public func onShutdownRequest(_ hook: @escaping @Sendable () async -> Void) {
        shutdownHook.withLock { $0 = hook }
    }

    /// Starts the graceful shutdown without waiting for it (the request that asked for it
    /// is answered first, then drained like any other); false when no hook is set.
    func requestShutdown() -> Bool {
        guard let hook = shutdownHook.withLock({ $0 }) else { return false }
        Task { await hook() }
        return true
    }

    /// The bound port once listening, else the configured one.
    var port: Int { boundPort.withLock { $0 } ?? configuredPort }

    /// Seconds since this server object was built.
    var uptime: Double {
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// The URL this process calls itself at (the MCP tools call the REST API there): the
    /// configured host, or loopback when the server listens on every address.
    var selfURL: String {
        ["0.0.0.0", "::", "[::]", ""].contains(configuredHost) ? "http://127.0.0.1:\(port)" : baseURL
    }

    /// Whether the server listens on loopback only (the MCP endpoint then checks `Host`
    /// and `Origin` against DNS rebinding).
    var loopbackOnly: Bool {
        ["127.0.0.1", "localhost", "::1", "[::1]"].contains(configuredHost)
    }

    /// `http://<host>:<port>` as a client on this machine would reach it.
    var baseURL: String {
        let host = configuredHost.contains(":") && !configuredHost.hasPrefix("[") ? "[\(configuredHost)]" : configuredHost
        return "http://\(host):\(port)"
    }
}

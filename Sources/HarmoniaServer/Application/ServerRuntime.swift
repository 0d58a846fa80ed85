import Foundation
import Synchronization

/// Facts about the running server that routes report: when it started and which port it
/// actually bound (with `--port 0` only the listening socket knows).
final class ServerRuntime: Sendable {
    let configuredHost: String
    let configuredPort: Int
    private let started = ContinuousClock.now
    private let boundPort: Mutex<Int?> = Mutex(nil)

    init(host: String, port: Int) {
        self.configuredHost = host
        self.configuredPort = port
    }

    /// Records the port of the listening socket.
    func serverStarted(port: Int?) {
        boundPort.withLock { $0 = port }
    }

    /// The bound port once listening, else the configured one.
    var port: Int { boundPort.withLock { $0 } ?? configuredPort }

    /// Seconds since this server object was built.
    var uptime: Double {
        let elapsed = ContinuousClock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// `http://<host>:<port>` as a client on this machine would reach it.
    var baseURL: String {
        let host = configuredHost.contains(":") && !configuredHost.hasPrefix("[") ? "[\(configuredHost)]" : configuredHost
        return "http://\(host):\(port)"
    }
}

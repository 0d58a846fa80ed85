import Foundation

/// How plugin host children are started, watched and restarted (`isolation: process`).
public struct IsolationSettings: Sendable, Hashable {
    /// The `harmonia` executable that runs `plugin-host`. Nil: this process's executable
    /// when it is `harmonia`, else a `harmonia` next to it (a test runner, the bench).
    public var hostExecutable: String?
    /// How often the server pings each child, and how long an unanswered ping may stay
    /// unanswered before the child is killed as hung (its calls end as `component_crashed`).
    public var pingInterval: Duration
    public var pingTimeout: Duration
    /// How long a child may take to load its library and create the instance.
    public var startTimeout: Duration
    /// A child that crashes `crashLimit` times within `crashWindow` is not restarted again:
    /// its component stays unavailable, with the reason, until a reload.
    public var crashLimit: Int
    public var crashWindow: Duration
    /// The first restart waits `initialBackoff`, each further one twice as long, up to `maxBackoff`.
    public var initialBackoff: Duration
    public var maxBackoff: Duration
    /// How many of the child's last stderr lines a crash reason quotes.
    public var stderrLines: Int

    public init(
        hostExecutable: String? = nil, pingInterval: Duration = .seconds(2), pingTimeout: Duration = .seconds(10),
        startTimeout: Duration = .seconds(20), crashLimit: Int = 5, crashWindow: Duration = .seconds(60),
        initialBackoff: Duration = .milliseconds(100), maxBackoff: Duration = .seconds(5), stderrLines: Int = 5
    ) {
        self.hostExecutable = hostExecutable
        self.pingInterval = pingInterval
        self.pingTimeout = pingTimeout
        self.startTimeout = startTimeout
        self.crashLimit = crashLimit
        self.crashWindow = crashWindow
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.stderrLines = stderrLines
    }

    /// The executable to start: `hostExecutable`, else as described there.
    var resolvedExecutable: String {
        if let hostExecutable { return hostExecutable }
        let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        if (own as NSString).lastPathComponent == "harmonia" { return own }
        let beside = ((own as NSString).deletingLastPathComponent as NSString).appendingPathComponent("harmonia")
        return beside
    }

    /// The directory of the running executable: libraries there are shipped with Harmonia.
    static var shippedDirectory: String? {
        guard let own = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else { return nil }
        return (own as NSString).deletingLastPathComponent
    }
}

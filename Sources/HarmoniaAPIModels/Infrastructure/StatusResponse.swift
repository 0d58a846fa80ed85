/// The data of `GET /api/v1/status`: what the engine is doing right now.
public struct StatusResponse: Codable, Sendable, Hashable {
    public var version: String
    /// Seconds since the server started.
    public var uptime: Double
    /// True once recovery finished.
    public var ready: Bool
    /// True while a graceful shutdown drains in-flight work.
    public var draining: Bool
    /// Executions pending, running or paused in this process.
    public var activeExecutions: Int
    /// Adapter calls under way.
    public var inFlightTasks: Int
    /// Executions resumed by recovery at start-up.
    public var recoveredExecutions: Int
    /// Stored executions by status (every status present, zero included).
    public var executions: [String: Int]
    /// The components adapters are registered for.
    public var components: [ComponentStatus]

    public init(
        version: String, uptime: Double, ready: Bool, draining: Bool, activeExecutions: Int,
        inFlightTasks: Int, recoveredExecutions: Int, executions: [String: Int], components: [ComponentStatus]
    ) {
        self.version = version
        self.uptime = uptime
        self.ready = ready
        self.draining = draining
        self.activeExecutions = activeExecutions
        self.inFlightTasks = inFlightTasks
        self.recoveredExecutions = recoveredExecutions
        self.executions = executions
        self.components = components
    }

    enum CodingKeys: String, CodingKey {
        case version, uptime, ready, draining
        case activeExecutions = "active_executions"
        case inFlightTasks = "in_flight_tasks"
        case recoveredExecutions = "recovered_executions"
        case executions, components
    }
}

/// One component in `StatusResponse`.
public struct ComponentStatus: Codable, Sendable, Hashable {
    public var name: String
    public var available: Bool
    public var actions: [String]

    public init(name: String, available: Bool, actions: [String]) {
        self.name = name
        self.available = available
        self.actions = actions
    }
}

import HarmoniaPluginKit

/// The Ergon adapter (agents and command execution; Tekton port 8002).
///
/// `execute_command` runs a command in Ergon's sandbox (store a unit → start a sandbox →
/// execute with an SSE answer → results → cleanup) or, in local mode, on this host. The
/// agent actions are single calls to Ergon's REST API. See docs/adapters.md.
public struct ErgonAdapter: HarmoniaAdapter {
    public static let manifest = PluginManifest(
        name: "ergon", version: "1.0.0", component: "ergon",
        description: "Ergon: agents, the solution registry and sandboxed command execution",
        actions: actionManifests)

    /// Tekton's port for Ergon.
    static let defaultPort = 8002

    let service: TektonService
    let options: ErgonOptions
    /// The configured default command timeout in seconds (the configuration's `timeout`).
    let commandTimeout: Double?

    public init(configuration: AdapterConfiguration) throws {
        service = try TektonService(configuration: configuration, defaultPort: Self.defaultPort)
        options = try ErgonOptions(json: configuration.options)
        commandTimeout = configuration.timeout
    }

    public func invoke(_ call: AdapterCall) async throws -> PluginJSON {
        if let schema = Self.inputSchema(of: call.action) { try call.validateInput(against: schema) }
        switch call.action {
        case "execute_command":
            let request = try CommandRequest(call: call)
            return options.localMode ? try await executeLocally(request, call: call) : try await executeInSandbox(request, call: call)
        case "run_agent": return try await runAgent(call)
        case "create_agent": return try await createAgent(call)
        case "list_agents": return try await listAgents(call)
        case "chat": return try await chat(call)
        case "search_registry": return try await searchRegistry(call)
        default: throw AdapterError.unknownAction(call.action, component: call.component)
        }
    }

    /// The command's time limit: the input's `timeout`, else the configured one, never past
    /// the call's deadline; nil when nothing limits it.
    func commandLimit(_ request: CommandRequest, call: AdapterCall) -> Double? {
        let asked = request.timeout ?? commandTimeout
        switch (asked, call.remainingTime) {
        case (let asked?, let remaining?): return min(asked, remaining)
        case (let asked?, nil): return asked
        case (nil, let remaining): return remaining
        }
    }
}

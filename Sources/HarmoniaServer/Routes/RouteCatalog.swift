import HarmoniaAPIModels

/// Every route Harmonia serves, for `GET /`, `GET /discovery` and for telling a wrong
/// method (405) from an unknown path (404).
///
/// Hummingbird's router answers both with "not found", so the distinction is made here,
/// against the same list the routes are documented with. A test checks that every entry
/// is really served under both prefixes.
enum RouteCatalog {
    /// The prefixes business routes are registered under: the current one and Tekton's alias.
    static let prefixes = ["/api/v1", "/api"]

    /// Business routes, relative to each prefix.
    static let business: [EndpointDescription] = [
        .init(method: "POST", path: "/workflows", description: "create a workflow (JSON, or YAML with a yaml Content-Type)"),
        .init(method: "GET", path: "/workflows", description: "list workflows (limit, offset, name)"),
        .init(method: "GET", path: "/workflows/{id}", description: "read a workflow's newest version"),
        .init(method: "PUT", path: "/workflows/{id}", description: "replace a workflow (stores a new version)"),
        .init(method: "DELETE", path: "/workflows/{id}", description: "delete a workflow"),
        .init(method: "POST", path: "/workflows/{id}/execute", description: "start an execution of a workflow"),
        .init(method: "POST", path: "/executions", description: "start an execution (workflow_id, input, metadata, idempotency_key)"),
        .init(method: "GET", path: "/executions", description: "list executions (status, workflow_id, limit, offset)"),
        .init(method: "GET", path: "/executions/{id}", description: "an execution with its tasks, definition and summary"),
        .init(method: "GET", path: "/executions/{id}/events", description: "an execution's event log (after_seq, limit)"),
        .init(method: "POST", path: "/executions/{id}/retry", description: "re-run a failed or canceled execution, keeping its completed tasks"),
        .init(method: "GET", path: "/executions/{id}/explain", description: "what each unfinished task waits for, and whether the execution can progress"),
        .init(method: "POST", path: "/executions/{id}/cancel", description: "cancel an execution"),
        .init(method: "POST", path: "/executions/{id}/pause", description: "pause an execution"),
        .init(method: "POST", path: "/executions/{id}/resume", description: "resume a paused execution"),
        .init(method: "GET", path: "/status", description: "engine status: uptime, active executions, counts, components"),
        .init(method: "POST", path: "/templates", description: "create a template (inline definition or workflow_definition_id, typed parameters, tags)"),
        .init(method: "GET", path: "/templates", description: "list templates (tag, name, limit, offset)"),
        .init(method: "GET", path: "/templates/{id}", description: "read a template's newest version (or ?version=N)"),
        .init(method: "PUT", path: "/templates/{id}", description: "update a template (stores a new version)"),
        .init(method: "DELETE", path: "/templates/{id}", description: "delete a template"),
        .init(method: "POST", path: "/templates/{id}/instantiate", description: "make a workflow from a template ({\"parameter_values\": {...}})"),
        .init(method: "POST", path: "/templates/import", description: "import a template document (harmonia_template)"),
        .init(method: "GET", path: "/templates/{id}/export", description: "export a template as a portable document"),
        .init(method: "POST", path: "/executions/{id}/checkpoint", description: "checkpoint an execution"),
        .init(method: "GET", path: "/executions/{id}/checkpoints", description: "an execution's checkpoints, oldest first"),
        .init(method: "GET", path: "/checkpoints/{id}", description: "a checkpoint with its snapshot"),
        .init(method: "POST", path: "/checkpoints/{id}/restore", description: "start a new execution from a checkpoint"),
        .init(method: "POST", path: "/schedules", description: "create a schedule (workflow_id, cron + timezone or interval, input, missed_runs, overlap)"),
        .init(method: "GET", path: "/schedules", description: "list schedules with their next runs (limit, offset)"),
        .init(method: "GET", path: "/schedules/{id}", description: "a schedule with its next 5 due times and last runs"),
        .init(method: "PATCH", path: "/schedules/{id}", description: "change a schedule's fields"),
        .init(method: "DELETE", path: "/schedules/{id}", description: "delete a schedule (its executions stay)"),
        .init(method: "POST", path: "/schedules/{id}/pause", description: "pause a schedule"),
        .init(method: "POST", path: "/schedules/{id}/resume", description: "resume a schedule from now (nothing is caught up)"),
        .init(method: "GET", path: "/schedules/{id}/runs", description: "a schedule's run records: started, skipped, missed, failed (limit)"),
        .init(method: "GET", path: "/components", description: "components with their plugin file, version, ABI, actions, availability, endpoint, source; refused plugins"),
        .init(method: "POST", path: "/components/reload", description: "rescan the plugin directories (as SIGHUP does) and report what changed"),
        .init(method: "GET", path: "/components/{name}/actions", description: "a component's actions with their input schemas"),
        .init(method: "GET", path: "/components/{name}/actions/{action}", description: "one action's description and input schema"),
        .init(method: "POST", path: "/components/{name}/actions/{action}", description: "run one action directly through its adapter (body: the input)"),
        .init(method: "GET", path: "/schemas/workflow.json", description: "JSON Schema of a workflow definition, for editors (not enveloped)"),
        .init(method: "GET", path: "/openapi.json", description: "OpenAPI 3.1 document of the whole HTTP API (not enveloped)"),
        .init(method: "POST", path: "/mcp/tools/{name}", description: "call one MCP tool (body: its arguments), as Hermes calls a registered tool's endpoint"),
    ]

    /// Routes outside the prefixes.
    static let infrastructure: [EndpointDescription] = [
        .init(method: "GET", path: "/", description: "service name, version and endpoints"),
        .init(method: "GET", path: "/health", description: "liveness: 200 while the process serves"),
        .init(method: "GET", path: "/ready", description: "readiness: 200 once recovery finished, else 503; boolean `ready` in both"),
        .init(method: "POST", path: "/shutdown", description: "graceful shutdown, as SIGTERM (from this machine, or with an API key); also /api/shutdown"),
        .init(method: "GET", path: "/discovery", description: "component description for Tekton"),
        .init(method: "GET", path: "/metrics", description: "Prometheus metrics (text exposition format)"),
        .init(method: "GET", path: "/ui", description: "the dashboard (also served at / to browsers)"),
        .init(method: "GET", path: "/openapi.json", description: "OpenAPI 3.1 document of the whole HTTP API (as /api/v1/openapi.json)"),
        .init(method: "POST", path: "/mcp", description: "MCP (Streamable HTTP): a JSON-RPC message; initialize starts a session"),
        .init(method: "GET", path: "/mcp", description: "MCP (Streamable HTTP): the session's event stream"),
        .init(method: "DELETE", path: "/mcp", description: "MCP (Streamable HTTP): end the session"),
    ]

    /// Live event streams. Listed apart from `all` because they do not end by themselves
    /// (the all-executions streams never do), so a probe that calls every route cannot
    /// call these.
    static let streams: [EndpointDescription] = [
        .init(method: "GET", path: "/events/executions/{id}", description: "SSE: one execution's events (Last-Event-ID or after_seq resumes)"),
        .init(method: "GET", path: "/events/executions", description: "SSE: every execution's events, live"),
        .init(method: "GET", path: "/ws/executions/{id}", description: "WebSocket: one execution's events (ping, unsubscribe, resume)"),
        .init(method: "GET", path: "/ws/executions", description: "WebSocket: every execution's events, live"),
    ]

    /// Infrastructure routes, streams and the business routes under the current prefix.
    static var documented: [EndpointDescription] {
        infrastructure + streams + business.map { .init(method: $0.method, path: prefixes[0] + $0.path, description: $0.description) }
    }

    /// Every (method, full path) pair served, both prefixes included.
    static var all: [EndpointDescription] {
        infrastructure + prefixes.flatMap { prefix in
            business.map { .init(method: $0.method, path: prefix + $0.path, description: $0.description) }
        }
    }

    /// The methods served for `path`, empty when no route has that shape.
    ///
    /// Like the router, a literal segment wins over a capture: `/templates/import` is the
    /// import route's path only (POST), not also `/templates/{id}`'s (GET, PUT, DELETE).
    static func allowedMethods(for path: String) -> [String] {
        let segments = split(path)
        let matching = (all + streams).filter { matches(pattern: split($0.path), segments) }
        // Per segment, true where the pattern has a literal; the router follows the first
        // literal it can, so the most specific shape (in that order) is the one routed.
        let shapes = matching.map { route in split(route.path).map { !$0.hasPrefix("{") } }
        guard let best = shapes.max(by: { $0.lexicographicallyPrecedes($1) { !$0 && $1 } }) else { return [] }
        var methods: [String] = []
        for (route, shape) in zip(matching, shapes) where shape == best && !methods.contains(route.method) {
            methods.append(route.method)
        }
        return methods
    }

    private static func split(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    private static func matches(pattern: [Substring], _ segments: [Substring]) -> Bool {
        guard pattern.count == segments.count else { return false }
        return zip(pattern, segments).allSatisfy { expected, actual in
            expected.hasPrefix("{") || expected == actual
        }
    }
}

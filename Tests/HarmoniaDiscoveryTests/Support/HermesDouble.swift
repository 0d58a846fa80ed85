import Foundation
import HarmoniaCore
import Hummingbird
import Logging
import Synchronization

/// A Hermes that speaks the real registry protocol, quirks included, on 127.0.0.1:
/// camelCase register answers, a token that is text containing JSON (quotes, escaped
/// quotes, runs of spaces), 422 without the token header, 401 for a bad, expired or foreign
/// token, `type: null` / `status: "unknown"` / `last_heartbeat: null` for components that
/// never heartbeat with their token, and a registry kept in memory only, so `restart()`
/// empties it — while tokens, signed with a fixed secret, stay valid across the restart
/// (observed on Tekton's Hermes: `RegistrationManager.send_heartbeat` checks the token's
/// signature and component id, never the registry, so heartbeats keep getting 200 for a
/// component the restarted Hermes no longer lists).
final class HermesDouble: Sendable {
    /// One registered component.
    struct Entry: Sendable {
        var componentID: String
        var name: String
        var version: String
        var type: String
        var endpoint: String
        var capabilities: [String]
        var metadata: JSONValue
        var token: String
        var expiresAt: Date
        var registeredAt: Date
        var lastHeartbeat: Date?
    }

    /// What a token's signature vouches for.
    struct Issued: Sendable {
        var componentID: String
        var expiresAt: Date
    }

    /// One request as it arrived, for assertions.
    struct Recorded: Sendable {
        var method: String
        var path: String
        var query: String
        /// The `X-Authentication-Token` header exactly as received, if any.
        var token: String?
        var body: JSONValue?
        var status: Int
        /// When the double answered.
        var at: ContinuousClock.Instant
    }

    struct State: Sendable {
        /// In registration order (the order of `GET /api/components`).
        var entries: [Entry] = []
        var requests: [Recorded] = []
        var tokenLifetime: Duration
        /// Bumped by every restart and written into the tokens issued after it.
        var generation = 0
        /// Every token Hermes signed, by its text: its signature outlives a restart.
        var issued: [String: Issued] = [:]
        var server: LoopbackServer.Running?
        var port: Int?
        /// The MCP tool registry (`/api/mcp/v2/tools`), by id in registration order; kept in
        /// memory only, like the components.
        var tools: [(id: String, spec: JSONValue)] = []
    }

    let state: Mutex<State>

    init(tokenLifetime: Duration = .seconds(3600)) {
        state = Mutex(State(tokenLifetime: tokenLifetime))
    }

    /// `http://127.0.0.1:<port>`; only valid after `start`.
    var url: String { "http://127.0.0.1:\(port)" }
    var port: Int { state.withLock { $0.port ?? 0 } }

    /// Starts serving on `port` (0: any free port; the chosen port is kept for restarts).
    func start(port: Int? = nil) async throws {
        let port = port ?? state.withLock { $0.port } ?? 0
        let server = try await LoopbackServer.start(port: port, router: makeRouter(), name: "hermes-double")
        state.withLock {
            $0.server = server
            $0.port = server.port
        }
    }

    /// Stops serving (the port refuses connections until `start` again).
    func stop() async {
        guard let server = state.withLock({ state -> LoopbackServer.Running? in
            defer { state.server = nil }
            return state.server
        }) else { return }
        await server.stop()
    }

    /// Hermes restarted: same port, empty registry, earlier tokens still valid.
    func restart() async throws {
        await stop()
        forgetRegistry()
        try await start()
    }

    /// What a restart does to the registry (the real Hermes keeps it in memory only); for a
    /// test that keeps Hermes down for a while: `stop()`, this, later `start()`.
    func forgetRegistry() {
        state.withLock {
            $0.entries = []
            $0.tools = []
            $0.generation += 1
        }
    }

    /// A port that nothing listens on (a double started and stopped): Hermes "down".
    static func unusedPort() async throws -> Int {
        let double = HermesDouble()
        try await double.start(port: 0)
        let port = double.port
        await double.stop()
        return port
    }

    // MARK: Test-side views and actions

    var entries: [Entry] { state.withLock { $0.entries } }
    var requests: [Recorded] { state.withLock { $0.requests } }

    func requests(_ path: String) -> [Recorded] { requests.filter { $0.path == path } }

    func entry(id: String) -> Entry? { entries.first { $0.componentID == id } }

    func setTokenLifetime(_ lifetime: Duration) { state.withLock { $0.tokenLifetime = lifetime } }

    /// Makes the token `id` holds now expired, as if its lifetime had run out; the next
    /// registration gets a token with the usual lifetime.
    func expireToken(id: String) {
        state.withLock { state in
            guard let index = state.entries.firstIndex(where: { $0.componentID == id }) else { return }
            state.entries[index].expiresAt = .distantPast
            state.issued[state.entries[index].token]?.expiresAt = .distantPast
        }
    }

    /// Registers a component as another Tekton component would (without `component_id`
    /// unless given, so Hermes invents `{type}-{name}-{8 hex}`); returns its id.
    @discardableResult
    func registerComponent(
        name: String, endpoint: String, componentID: String? = nil, type: String? = nil, version: String = "0.1.0",
        registeredAt: Date? = nil
    ) -> String {
        var body: [String: JSONValue] = [
            "name": .string(name), "version": .string(version), "type": .string(type ?? name),
            "endpoint": .string(endpoint), "capabilities": .array([]), "metadata": .emptyObject,
        ]
        if let componentID { body["component_id"] = .string(componentID) }
        guard case .ok(let answer) = register(.object(body), now: registeredAt ?? Date()) else { return "" }
        return answer.objectValue?["componentId"]?.stringValue ?? ""
    }

    /// Removes a component as its own unregister call would.
    func unregisterComponent(id: String) {
        state.withLock { $0.entries.removeAll { $0.componentID == id } }
    }
}

/// Runs `body` with a started Hermes double and stops it afterwards, whatever happens.
func withHermes<T>(
    tokenLifetime: Duration = .seconds(3600), _ body: (HermesDouble) async throws -> T
) async throws -> T {
    let hermes = HermesDouble(tokenLifetime: tokenLifetime)
    try await hermes.start()
    do {
        let result = try await body(hermes)
        await hermes.stop()
        return result
    } catch {
        await hermes.stop()
        throw error
    }
}

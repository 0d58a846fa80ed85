import AsyncHTTPClient
import Foundation
import HarmoniaCore
import NIOCore
import NIOHTTP1

/// Speaks Hermes' registry API (tekton.md): register, heartbeat, unregister, list, query.
///
/// Stateless: the token lives with the caller (`HermesRegistrationService`), so the same
/// client serves the registration loop, the discovery reconciler and `harmonia register`.
/// Every failure is a `HarmoniaError` with a `hermes_*` code; messages never contain the token.
public struct HermesClient: Sendable {
    /// Hermes' base URL without a trailing slash.
    public let baseURL: String
    let httpClient: HTTPClient
    let timeout: Duration

    /// The largest answer read from Hermes; its registry is small, a bigger body is a fault.
    static let maxResponseBytes = 8 << 20

    /// Fails a request at once when Hermes refuses the connection, instead of AsyncHTTPClient's
    /// default of retrying the connection until the request's deadline: the callers have
    /// their own backoff, and `harmonia register` should say "unreachable" without delay.
    /// Lives as long as the process, so it is never shut down.
    public static let defaultHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(2)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    public init(url: String, httpClient: HTTPClient = HermesClient.defaultHTTPClient, timeout: Duration = .seconds(5)) {
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        self.baseURL = url
        self.httpClient = httpClient
        self.timeout = timeout
    }

    /// What a successful registration returns.
    public struct Grant: Sendable, Hashable {
        /// The id Hermes stored (ours, since we send one).
        public var componentID: String
        public var token: HermesToken
    }

    /// `POST /api/register`. Re-registering the same id overwrites the entry and issues a new token.
    public func register(_ registration: HermesRegistration) async throws -> Grant {
        let body = try await send(.POST, "/api/register", json: registration.json)
        guard let object = body.objectValue, let token = object["token"]?.stringValue else {
            throw HarmoniaError(.hermesInvalidResponse, "Hermes' answer to register has no token")
        }
        if let success = object["success"]?.boolValue, !success {
            let message = object["message"]?.stringValue ?? "no message"
            throw HarmoniaError(.hermesRejected, "Hermes refused the registration: \(message)")
        }
        let id = object["componentId"]?.stringValue ?? object["component_id"]?.stringValue ?? registration.componentID
        return Grant(componentID: id, token: HermesToken(token))
    }

    /// `POST /api/heartbeat` with the token; throws `hermes_unauthorized` on 401.
    public func heartbeat(componentID: String, token: HermesToken, status: JSONValue = .emptyObject) async throws {
        _ = try await send(
            .POST, "/api/heartbeat", json: .object(["component_id": .string(componentID), "status": status]), token: token)
    }

    /// `POST /api/unregister?component_id=<id>` with the token.
    public func unregister(componentID: String, token: HermesToken) async throws {
        _ = try await send(.POST, "/api/unregister?component_id=\(Self.queryEscaped(componentID))", token: token)
    }

    /// `GET /api/components`: every registered component, healthy or not (never `healthy_only`:
    /// components other than Harmonia never send their token, so Hermes thinks none is healthy).
    public func components(capability: String? = nil) async throws -> [HermesComponent] {
        var path = "/api/components"
        if let capability { path += "?capability=\(Self.queryEscaped(capability))" }
        let body = try await send(.GET, path)
        let list = body.objectValue?["components"]?.arrayValue ?? body.arrayValue
        guard let list else {
            throw HarmoniaError(.hermesInvalidResponse, "Hermes' component list has no `components` array")
        }
        return list.compactMap(HermesComponent.init(json:))
    }

    /// `GET /api/components/{name}`: the oldest entry with that name, or nil on 404.
    public func component(named name: String) async throws -> HermesComponent? {
        do {
            let body = try await send(.GET, "/api/components/\(Self.pathEscaped(name))")
            return HermesComponent(json: body)
        } catch let error as HarmoniaError where error.code == .hermesRejected && error.path == "404" {
            return nil
        }
    }

    /// `POST /api/query` with `healthy_only: false` (see `components`).
    public func query(capability: String? = nil, componentType: String? = nil) async throws -> [HermesQueryResult] {
        var request: [String: JSONValue] = ["healthy_only": .bool(false)]
        if let capability { request["capability"] = .string(capability) }
        if let componentType { request["component_type"] = .string(componentType) }
        let body = try await send(.POST, "/api/query", json: .object(request))
        guard let list = body.arrayValue else {
            throw HarmoniaError(.hermesInvalidResponse, "Hermes' query answer is not an array")
        }
        return list.compactMap(HermesQueryResult.init(json:))
    }

    /// `GET /health`: true when Hermes answers 2xx.
    public func isHealthy() async -> Bool {
        (try? await send(.GET, "/health")) != nil
    }
}

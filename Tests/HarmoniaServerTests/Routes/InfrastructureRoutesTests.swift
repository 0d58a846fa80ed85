import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import HarmoniaEngine
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HarmoniaServer

struct InfrastructureRoutesTests {
    @Test func healthReadyDiscoveryAndRoot() async throws {
        try await TestServer.with { client, _ in
            let health = try await client.send(.get, "/health")
            #expect(health.status == .ok)
            let body = try health.json()
            #expect(body["status"] == "healthy")
            #expect(body["component"] == "harmonia")
            #expect(body["version"]?.stringValue == HarmoniaVersion.current)
            #expect(body["registered"] == false)
            #expect(body["port"]?.intValue != nil)
            #expect((body["uptime"]?.doubleValue ?? -1) >= 0)

            let ready = try await client.send(.get, "/ready")
            #expect(ready.status == .ok)
            #expect(try ready.json()["status"] == "ready")
            // Tekton's status tool reads a boolean `ready`.
            #expect(try ready.json()["ready"] == true)
            #expect(try ready.json()["version"]?.stringValue == HarmoniaVersion.current)

            let discovery = try await client.send(.get, "/discovery")
            #expect(discovery.status == .ok)
            let description = try APICoding.makeDecoder().decode(DiscoveryResponse.self, from: Data(discovery.body.readableBytesView))
            #expect(description.component == "harmonia")
            #expect(description.endpoints.contains { $0.method == "POST" && $0.path == "/api/v1/executions" })
            #expect(!description.capabilities.isEmpty)

            let root = try await client.send(.get, "/")
            let info = try APICoding.makeDecoder().decode(ServiceInfo.self, from: Data(root.body.readableBytesView))
            #expect(info.name == "Harmonia")
            #expect(info.version == HarmoniaVersion.current)
            #expect(info.endpoints.contains { $0.path == "/health" })
        }
    }

    @Test(arguments: apiPrefixes)
    func statusCountsExecutionsAndListsComponents(prefix: String) async throws {
        try await TestServer.with { client, _ in
            let workflow = try await client.createWorkflow(Fixtures.noop())
            let id = try await client.startExecution(workflow.id)
            _ = try await client.waitForExecution(id)

            let status = try await client.data(StatusResponse.self, .get, "\(prefix)/status")
            #expect(status.ready)
            #expect(!status.draining)
            #expect(status.executions["completed"] == 1)
            #expect(status.executions["running"] == 0)
            #expect(Set(status.executions.keys) == Set(WorkflowStatus.allCases.map(\.rawValue)))
            let builtin = try #require(status.components.first { $0.name == "harmonia" })
            #expect(builtin.actions.contains("echo"))
            #expect(status.uptime >= 0)
        }
    }

    /// Before recovery the process is alive (health 200, degraded) but not ready (503).
    @Test func notReadyBeforeRecovery() async throws {
        try await TestServer.with { _, server in
            let idle = Engine(store: server.store, adapters: AdapterRegistry([BuiltinAdapter()]))
            let dependencies = RouteDependencies(
                store: server.store, engine: idle, runtime: ServerRuntime(host: "127.0.0.1", port: 8007),
                maxBodyBytes: 1 << 20)
            let app = Application(router: buildRouter(dependencies: dependencies, apiKeys: []))
            try await app.test(.router) { client in
                let health = try await client.send(.get, "/health")
                #expect(health.status == .ok)
                #expect(try health.json()["status"] == "degraded")
                #expect(try health.json()["port"] == 8007)
                let notReady = try await client.send(.get, "/ready")
                _ = try notReady.expectError(.serviceUnavailable, code: "not_ready")
                #expect(try notReady.json()["ready"] == false)
                // Only a caller on this machine may stop the server; a router test has no peer.
                _ = try await client.send(.post, "/shutdown").expectError(.forbidden, code: "forbidden")
                let workflow = try await client.createWorkflow(Fixtures.noop())
                try await client.send(.post, "/api/v1/executions", json: ["workflow_id": .string(workflow.id)])
                    .expectError(.serviceUnavailable, code: "not_ready")
            }
        }
    }

    /// Every route the catalog documents is really served, under both prefixes.
    @Test func everyCatalogRouteIsServed() async throws {
        try await TestServer.with { client, _ in
            for route in RouteCatalog.all {
                let path = route.path.replacingOccurrences(of: "{id}", with: "unknown-id")
                let response = try await client.send(HTTPRequest.Method(route.method)!, path, json: [:])
                #expect(response.status != .methodNotAllowed, "\(route.method) \(route.path)")
                if response.status == .notFound {
                    // A 404 here must come from the handler (unknown id), not the router.
                    #expect(route.path.contains("{id}") || route.path.contains("{name}"), "\(route.method) \(route.path): \(response.text)")
                    #expect(!response.text.contains("no route"), "\(route.method) \(route.path)")
                }
                #expect(response.status.code < 500, "\(route.method) \(route.path): \(response.text)")
            }
        }
    }

    /// A live server reports the port it really bound when asked for port 0.
    @Test func liveServerReportsTheBoundPort() async throws {
        try await TestServer.with(mode: .live) { client, _ in
            let port = try #require(client.port)
            #expect(port != 0)
            let health = try await client.send(.get, "/health")
            #expect(try health.json()["port"]?.intValue == port)
            let discovery = try await client.send(.get, "/discovery")
            #expect(try discovery.json()["endpoint"]?.stringValue == "http://127.0.0.1:\(port)")

            // Over a real socket too, an oversized body is a 413 and the server carries on.
            let big = String(repeating: "x", count: HarmoniaConfiguration.defaultMaxBodyBytes + 1)
            let tooLarge = try await client.send(.post, "/api/v1/workflows", text: big, contentType: "application/json")
            try tooLarge.expectError(.contentTooLarge, code: "payload_too_large")
            let workflow = try await client.createWorkflow(Fixtures.chain)
            let id = try await client.startExecution(workflow.id, input: ["greeting": "live"])
            let detail = try await client.waitForExecution(id)
            #expect(detail.execution.tasks?["c"]?.output?["result"] == "live world")
        }
    }
}

import AsyncHTTPClient
import Foundation
import HarmoniaCore
import HarmoniaTestSupport
import NIOCore
import NIOHTTP1
import Testing

/// The real `harmonia serve --hermes-url` publishes its MCP tools in the Hermes double's
/// tool registry the Tekton way: every tool posted at start-up as `harmonia_<Tool>` with its
/// schema and an endpoint that really runs it, posted again after Hermes forgets them, and
/// removed at shutdown.
@Suite(.timeLimit(.minutes(1)))
struct ServeWithHermesToolsTests {
    @Test func toolsArePublishedWithWorkingEndpointsRepublishedAndRemoved() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harmonia-tools-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await withHermes { hermes in
            let server = try HarmoniaSubprocess(
                arguments: ["serve", "--port", "0", "--data-dir", directory.path, "--hermes-url", hermes.url],
                environment: ["HARMONIA_HERMES_HEARTBEAT_INTERVAL": "0.05", "HARMONIA_HERMES_POLL_INTERVAL": "0.05"])
            defer { server.kill() }
            await eventually("the server listens") { server.port != nil || !server.isRunning }
            let port = try #require(server.port, "harmonia serve did not start")

            // Tools are posted one by one: wait for the ones this test uses, not for a count
            // (the catalog grows as tools are added).
            let used = ["CreateWorkflowDefinition", "ExecuteWorkflow", "ListComponents", "ExecuteComponentAction", "WaitForExecution"]
            await eventually("the tools are published") {
                let names = Set(hermes.tools.compactMap { $0["name"]?.stringValue })
                return used.allSatisfy { names.contains("harmonia_\($0)") } && names.count >= 22
            }
            let tools = Dictionary(hermes.tools.compactMap { tool in tool["name"]?.stringValue.map { ($0, tool) } }) { a, _ in a }
            for name in used {
                let tool = try #require(tools["harmonia_\(name)"], "harmonia_\(name)")
                #expect(tool["id"] == .string("harmonia_\(name)"))
                #expect(tool["schema"]?["type"] == "object")
                #expect(tool["endpoint"] == .string("http://localhost:\(port)/api/v1/mcp/tools/harmonia_\(name)"))
                #expect(tool["description"]?.stringValue?.isEmpty == false)
            }

            // The endpoints work: create, execute and wait through them, as a caller of Hermes' registry would.
            let endpoint = { (name: String) in try #require(tools["harmonia_\(name)"]?["endpoint"]?.stringValue) }
            let created = try await Self.post(endpoint("CreateWorkflowDefinition"), [
                "name": "via-hermes", "tasks": ["only": ["component": "harmonia", "action": "echo", "input": ["message": "hi"]]],
            ])
            #expect(created.status == 200)
            let workflowID = try #require(created.body["data"]?["workflow_id"]?.stringValue)
            let started = try await Self.post(endpoint("ExecuteWorkflow"), ["workflow_id": .string(workflowID)])
            let executionID = try #require(started.body["data"]?["execution_id"]?.stringValue)
            let waited = try await Self.post(endpoint("WaitForExecution"), ["execution_id": .string(executionID)])
            #expect(waited.body["data"]?["status"] == "completed")
            // A bad argument is the tool's error, naming the field.
            let bad = try await Self.post(endpoint("ExecuteWorkflow"), ["workflow_id": 7])
            #expect(bad.status == 400 && bad.body["code"] == "invalid_request" && bad.body["path"] == "workflow_id")

            // Hermes restarts and forgets its tools: they are posted again.
            let postsBefore = hermes.requests("/api/mcp/v2/tools").filter { $0.method == "POST" }.count
            try await hermes.restart()
            #expect(hermes.tools.isEmpty)
            await eventually("the tools are published again", timeout: .seconds(30)) { hermes.tools.count >= 22 }
            #expect(hermes.requests("/api/mcp/v2/tools").filter { $0.method == "POST" }.count >= postsBefore + 22)

            server.terminate()
            await eventually("the server exits") { !server.isRunning }
            #expect(server.exitStatus == 0)
            #expect(hermes.tools.isEmpty, "the tools are removed at shutdown")
            #expect(hermes.requests.filter { $0.method == "DELETE" && $0.path.hasPrefix("/api/mcp/v2/tools/") && $0.status == 200 }.count >= 22)
        }
    }

    static func post(_ url: String, _ arguments: JSONValue) async throws -> (status: Int, body: JSONValue) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: arguments.jsonBytes()))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), try JSONValue.parse(Array(body.readableBytesView)))
    }
}

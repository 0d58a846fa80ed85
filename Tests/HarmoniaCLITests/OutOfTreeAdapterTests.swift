import Foundation
import HarmoniaClient
import NIOHTTP1
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adding an adapter without rebuilding or restarting the server (issue 3, item 7): the
/// README's Swift adapter, built as its own package while the already-built `harmonia`
/// binary is serving, copied into the server's plugin directory, runs workflows after
/// `POST /api/v1/components/reload`; a new version of it, built and copied the same way,
/// takes over after SIGHUP. The server process is the same throughout.
///
/// Slow (it compiles a package: about a minute); every build and wait has a deadline.
@Suite(.timeLimit(.minutes(20)))
struct OutOfTreeAdapterTests {
    /// The adapter's `hello`, then the built-in `transform` reading its result.
    static let workflow: JSONValue = [
        "name": "out-of-tree-greeting",
        "tasks": [
            "hello": ["component": "greeter", "action": "hello", "input": ["name": "${input.name}"]],
            "shout": [
                "component": "harmonia", "action": "transform", "depends_on": ["hello"],
                "input": ["value": "${tasks.hello.output.result}!"],
            ],
        ],
    ]

    @Test("an adapter built after the server serves workflows after POST /components/reload; its next version after SIGHUP")
    func adapterBuiltAfterTheServer() async throws {
        let base = try TemporaryDirectory(prefix: "harmonia-out-of-tree")
        defer { base.remove() }
        let plugins = try PluginsCLITests.pluginDirectory(base)
        let config = try base.write(
            "harmonia.yaml",
            """
            plugins:
              directories: [\(plugins)]
            components:
              greeter: {}
            """)
        let server = try await ServerProcess(
            binary: try CLITests.binary(), dataDirectory: base.path + "/data", extraArguments: ["--config", config])
        defer { server.kill() }
        let client = server.client()
        let workflow = try await client.createWorkflow(Self.workflow)

        // Selected by the configuration, but no plugin serves it yet.
        let absent = try #require(try await Self.greeter(client), "greeter is configured, so it is listed")
        #expect(absent["available"] == false, "\(absent)")
        let refusal = await #expect(throws: HarmoniaClientError.self) {
            try await client.send(.POST, "/api/v1/components/greeter/actions/hello", body: ["name": "Ada"])
        }
        #expect([404, 503].contains(refusal?.status ?? 0), "nothing can run greeter's actions yet: \(String(describing: refusal))")

        // Built now, as its own package, then installed and picked up by the HTTP reload.
        var package = try AdapterPackage(readmeOf: CLITests.repositoryRoot, in: base.path + "/Greeter")
        let first = try await package.build(timeout: .seconds(600))
        try PluginsCLITests.install(first, into: plugins)
        let report = try await client.send(.POST, "/api/v1/components/reload")
        #expect(report["components_added"] == ["greeter"], "\(report)")
        #expect(report["loaded"]?.arrayValue?.count == 1, "\(report)")
        #expect(report["refused"] == [], "\(report)")
        let loaded = try #require(try await Self.greeter(client))
        #expect(loaded["available"] == true && loaded["version"] == "1.0.0", "\(loaded)")

        let greeted = try await Self.run(client, workflowID: workflow.workflowID, name: "Ada")
        #expect(greeted.execution.status == .completed, "\(greeted.execution)")
        #expect(greeted.execution.tasks?["hello"]?.output?["result"] == "Hello, Ada")
        #expect(greeted.execution.tasks?["shout"]?.output?["result"] == "Hello, Ada!")

        // A new version, built and copied over the first, takes over on SIGHUP.
        try package.replace(#"version: "1.0.0""#, with: #"version: "2.0.0""#)
        try package.replace(#""Hello, \(name)""#, with: #""Hello again, \(name)""#)
        let second = try await package.build(timeout: .seconds(600))
        try PluginsCLITests.install(second, into: plugins)
        let pid = server.child.pid
        server.child.send(SIGHUP)
        try await pollUntil("greeter 2.0.0 to be served after SIGHUP", timeout: .seconds(60)) {
            try await Self.greeter(client)?["version"] == "2.0.0"
        }
        let again = try await Self.run(client, workflowID: workflow.workflowID, name: "Bob")
        #expect(again.execution.status == .completed, "\(again.execution)")
        #expect(again.execution.tasks?["hello"]?.output?["result"] == "Hello again, Bob")
        #expect(again.execution.tasks?["shout"]?.output?["result"] == "Hello again, Bob!")
        #expect(server.child.isRunning && server.child.pid == pid, "no restart: \(server.child.diagnostics)")
    }

    /// `greeter`'s entry in `GET /api/v1/components`, if listed.
    static func greeter(_ client: HarmoniaClient) async throws -> JSONValue? {
        let list = try await client.send(.GET, "/api/v1/components")
        return list["components"]?.arrayValue?.first { $0["name"] == "greeter" }
    }

    /// Executes the workflow for `name` and waits for its end.
    static func run(_ client: HarmoniaClient, workflowID: String, name: String) async throws -> ExecutionDetail {
        let started = try await client.executeWorkflow(workflowID: workflowID, input: ["name": .string(name)])
        return try await client.waitForCompletion(
            executionID: started.executionID, timeout: .seconds(60), pollInterval: .milliseconds(25))
    }
}

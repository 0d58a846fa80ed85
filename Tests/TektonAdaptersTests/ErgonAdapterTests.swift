import Foundation
import HarmoniaPluginKit
import Testing

@testable import ErgonAdapter

/// The Ergon adapter against its double over real HTTP on loopback.
@Suite(.timeLimit(.minutes(1)))
struct ErgonAdapterTests {
    let host = LoopbackHost()

    func adapter(_ url: String) throws -> ErgonAdapter {
        try ErgonAdapter(configuration: AdapterConfiguration(component: "ergon", endpoint: url))
    }

    @Test func executeCommandGoesStoreSandboxExecuteResultsCleanup() async throws {
        let ergon = ErgonDouble()
        ergon.script("echo Hello World", .init(stdout: ["Hello World"], status: 0))
        try await ergon.serve { url in
            let output = try await adapter(url).invoke(
                makeCall("ergon", "execute_command", ["command": "echo Hello World"], host: host, executionID: "e1"))
            #expect(output["result"] == "Hello World")
            #expect(output["stdout"] == "Hello World\n")
            #expect(output["stderr"] == "")
            #expect(output["exit_code"] == 0)
            #expect(output["success"] == true)
            let sandboxID = try #require(output["sandbox_id"]?.stringValue)
            #expect(ergon.calls.routes.filter { $0 != "GET /health" } == [
                "POST /api/ergon/registry/store", "POST /api/ergon/sandbox/test", "POST /api/ergon/sandbox/execute",
                "GET /api/ergon/sandbox/results/\(sandboxID)", "DELETE /api/ergon/sandbox/\(sandboxID)",
            ])
            let stored = try #require(ergon.calls.requests("POST /api/ergon/registry/store").first?.body)
            #expect(stored["type"] == "solution")
            #expect(stored["version"] == "1.0.0")
            #expect(stored["content"]?["platform"] == "any")
            let executed = try #require(ergon.calls.requests("POST /api/ergon/sandbox/execute").first?.body)
            #expect(executed["command"] == ["sh", "-c", "echo Hello World; echo __HARMONIA_EXIT__=$?"])
            #expect(ergon.deletedSandboxes == [sandboxID])
        }
    }

    @Test func exitCodeComesFromTheMarkerNotFromErgon() async throws {
        let ergon = ErgonDouble()
        // Ergon's results say exit_code 0; the marker says 3.
        ergon.script("make test", .init(stdout: ["running"], stderr: ["1 test failed"], status: 3))
        try await ergon.serve { url in
            let error = await adapterError {
                try await adapter(url).invoke(makeCall("ergon", "execute_command", ["command": "make test"], host: host))
            }
            #expect(error?.code == "command_failed")
            #expect(error?.retryable == false)
            #expect(error?.details?["exit_code"] == 3)
            #expect(error?.details?["success"] == false)
            #expect(error?.details?["stdout"] == "running\n")
            #expect(error?.details?["stderr"] == "1 test failed\n")
            #expect(ergon.liveSandboxes == 0)
        }
    }

    @Test func aCommandThatNeverReachesTheMarkerFails() async throws {
        let ergon = ErgonDouble()
        ergon.script("exit 0", .init(status: nil))
        try await ergon.serve { url in
            let error = await adapterError {
                try await adapter(url).invoke(makeCall("ergon", "execute_command", ["command": "exit 0"], host: host))
            }
            #expect(error?.code == "command_failed")
            #expect(error?.details?["exit_code"] == .null)
        }
    }

    @Test func argvIsQuotedAndEnvironmentGoesToTheSandbox() async throws {
        let ergon = ErgonDouble()
        ergon.script("printf '%s\\n' 'it'\\''s here'", .init(stdout: ["it's here"]))
        try await ergon.serve { url in
            let output = try await adapter(url).invoke(
                makeCall(
                    "ergon", "execute_command",
                    ["command": ["printf", "%s\\n", "it's here"], "environment": ["GREETING": "hi"], "timeout": 42], host: host, timeout: 60))
            #expect(output["result"] == "it's here")
            let test = try #require(ergon.calls.requests("POST /api/ergon/sandbox/test").first?.body)
            #expect(test["environment"] == ["GREETING": "hi"])
            #expect(test["timeout"] == 42)
        }
    }

    @Test func aRouteTheBuildDoesNotServeIsRouteUnavailable() async throws {
        // Engram's double serves none of Ergon's routes: FastAPI's 404 {"detail": "Not Found"}.
        try await EngramDouble().serve { url in
            let error = await adapterError {
                try await adapter(url).invoke(makeCall("ergon", "execute_command", ["command": "echo hi"], host: host))
            }
            #expect(error?.code == "route_unavailable")
            #expect(error?.retryable == false)
            #expect(error?.httpStatus == 404)
        }
    }

    @Test func anUnreachableComponentIsRetryable() async throws {
        let error = await adapterError {
            try await adapter("http://127.0.0.1:1").invoke(makeCall("ergon", "list_agents", host: host))
        }
        #expect(error?.code == "component_unreachable")
        #expect(error?.retryable == true)
    }

    @Test func theDeadlineEndsAHangingExecuteAndTheSandboxIsStillCleanedUp() async throws {
        let ergon = ErgonDouble()
        ergon.script("sleep 600", .init())
        ergon.holdExecution(true)
        try await ergon.serve { url in
            let error = await adapterError {
                // The execute stream hangs. 6 s: store and sandbox/test must come first, within
                // the 80 % the adapter gives the execute (2 s was too little on a loaded machine
                // running the whole suite); the test waits this long, in parallel with the others.
                try await adapter(url).invoke(makeCall("ergon", "execute_command", ["command": "sleep 600"], host: host, timeout: 6))
            }
            #expect(ergon.executeStreamsEnded == 0, "the deadline, not the end of the stream, ended the call")
            ergon.holdExecution(false)
            #expect(error?.code == "timeout")
            #expect(error?.retryable == true)
            #expect(ergon.calls.count("POST /api/ergon/sandbox/execute") == 1)
            #expect(ergon.deletedSandboxes.count == 1, "\(host.logs) \(ergon.calls.routes)")
        }
    }

    @Test func cancellingTheCallEndsItAndCleansUp() async throws {
        let ergon = ErgonDouble()
        ergon.script("sleep 600", .init())
        ergon.holdExecution(true)
        try await ergon.serve { url in
            let adapter = try adapter(url)
            let call = makeCall("ergon", "execute_command", ["command": "sleep 600"], host: host, timeout: nil)
            let task = Task { try await adapter.invoke(call) }
            try await waitUntil { ergon.calls.count("POST /api/ergon/sandbox/execute") == 1 }
            task.cancel()
            let result = await task.result
            #expect(ergon.executeStreamsEnded == 0, "the cancel, not the end of the stream, ended the call")
            ergon.holdExecution(false)
            #expect(throws: CancellationError.self) { try result.get() }
            #expect(ergon.deletedSandboxes.count == 1)
        }
    }

    @Test func agentsChatAndRegistry() async throws {
        let ergon = ErgonDouble()
        try await ergon.serve { url in
            let adapter = try adapter(url)
            let created = try await adapter.invoke(makeCall("ergon", "create_agent", ["name": "helper"], host: host))
            let agentID = try #require(created["agent_id"]?.stringValue)
            #expect(created["result"]?["name"] == "helper")

            let listed = try await adapter.invoke(makeCall("ergon", "list_agents", host: host))
            #expect(listed["count"] == 1)

            let ran = try await adapter.invoke(makeCall("ergon", "run_agent", ["agent_id": .string(agentID), "content": "hi"], host: host))
            #expect(ran["result"] == "helper ran: hi")
            #expect(ergon.calls.requests("POST /api/v1/agents/\(agentID)/run").first?.body == ["content": "hi", "stream": false])

            let chat = try await adapter.invoke(makeCall("ergon", "chat", ["message": "status?"], host: host))
            #expect(chat["result"] == "ergon heard: status?")
            #expect(
                ergon.calls.requests("POST /api/v1/terminal/message").first?.body
                    == ["message": "status?", "streaming": false, "save_to_memory": false])

            ergon.script("true", .init())
            _ = try await adapter.invoke(makeCall("ergon", "execute_command", ["command": "true"], host: host, executionID: "e9"))
            let search = try await adapter.invoke(makeCall("ergon", "search_registry", ["query": "e9", "limit": 5], host: host))
            #expect(search["count"] == 1)
            #expect(ergon.calls.requests("GET /api/ergon/registry/search").first?.query == "name=e9&limit=5")

            let missing = await adapterError {
                try await adapter.invoke(makeCall("ergon", "run_agent", ["agent_id": "404", "content": "x"], host: host))
            }
            #expect(missing?.code == "not_found")
            #expect(missing?.retryable == false)
        }
    }

    @Test func inputAndActionErrors() async throws {
        let adapter = try adapter("http://127.0.0.1:1")
        let unknown = await adapterError { try await adapter.invoke(makeCall("ergon", "explode", host: host)) }
        #expect(unknown?.code == "unknown_action")
        for input: PluginJSON in [[:], ["command": ""], ["command": []], ["command": [1]], ["command": "ls", "timeout": -1]] {
            let error = await adapterError { try await adapter.invoke(makeCall("ergon", "execute_command", input, host: host)) }
            #expect(error?.code == "invalid_input", "\(input)")
        }
    }

    @Test func endpointComesFromConfigurationOrEnvironment() throws {
        let configured = try TektonService(
            configuration: AdapterConfiguration(component: "ergon", endpoint: "http://ergon.local:9000/"), defaultPort: 8002)
        #expect(configured.baseURL == "http://ergon.local:9000")
        let byDefault = try TektonService(configuration: AdapterConfiguration(component: "ergon"), defaultPort: 8002, environment: [:])
        #expect(byDefault.baseURL == "http://localhost:8002")
        let byHost = try TektonService(
            configuration: AdapterConfiguration(component: "ergon"), defaultPort: 8002,
            environment: ["ERGON_HOST": "10.0.0.5", "TEKTON_HOST": "tekton", "ERGON_PORT": "18002"])
        #expect(byHost.baseURL == "http://10.0.0.5:18002")
        let byTekton = try TektonService(
            configuration: AdapterConfiguration(component: "ergon"), defaultPort: 8002, environment: ["TEKTON_HOST": "tekton"])
        #expect(byTekton.baseURL == "http://tekton:8002")
        #expect(throws: AdapterError.self) {
            try ErgonAdapter(configuration: AdapterConfiguration(component: "ergon", endpoint: "ergon:8002"))
        }
        #expect(throws: AdapterError.self) {
            try ErgonAdapter(configuration: AdapterConfiguration(component: "ergon", options: ["max_output_bytes": 0]))
        }
    }
}

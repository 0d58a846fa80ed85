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
            let unitID = try #require(ergon.calls.requests("POST /api/ergon/sandbox/test").first?.body["solution_id"]?.stringValue)
            #expect(ergon.calls.routes.filter { $0 != "GET /health" } == [
                "POST /api/ergon/registry/store", "POST /api/ergon/sandbox/test", "POST /api/ergon/sandbox/execute",
                "GET /api/ergon/sandbox/results/\(sandboxID)", "DELETE /api/ergon/sandbox/\(sandboxID)",
                "DELETE /api/ergon/registry/\(unitID)",
            ])
            let stored = try #require(ergon.calls.requests("POST /api/ergon/registry/store").first?.body)
            #expect(stored["type"] == "solution")
            #expect(stored["version"] == "1.0.0")
            #expect(stored["content"]?["platform"] == "any")
            let executed = try #require(ergon.calls.requests("POST /api/ergon/sandbox/execute").first?.body)
            #expect(executed["command"] == ["sh", "-c", "(\necho Hello World\n)\necho __HARMONIA_EXIT__=$?"])
            #expect(ergon.deletedSandboxes == [sandboxID])
            #expect(ergon.liveUnits == 0)
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
        ergon.script("make all", .init(stdout: ["half"], status: nil))
        try await ergon.serve { url in
            let error = await adapterError {
                try await adapter(url).invoke(makeCall("ergon", "execute_command", ["command": "make all"], host: host))
            }
            #expect(error?.code == "command_failed")
            #expect(error?.details?["exit_code"] == .null)
            #expect(error?.details?["stdout"] == "half\n")
        }
    }

    @Test func aCommandThatCallsExitStillReportsItsStatus() async throws {
        // Seen on the real Ergon: `echo partial; exit 3` used to end the shell before the marker.
        let ergon = ErgonDouble()
        try await ergon.serve { url in
            let adapter = try adapter(url)
            let error = await adapterError {
                try await adapter.invoke(makeCall("ergon", "execute_command", ["command": "echo partial; exit 3"], host: host))
            }
            #expect(error?.code == "command_failed")
            #expect(error?.details?["exit_code"] == 3)
            #expect(error?.details?["stdout"] == "partial\n")
            let strict = await adapterError {
                try await adapter.invoke(makeCall("ergon", "execute_command", ["command": "set -e; false; echo not reached"], host: host))
            }
            #expect(strict?.details?["exit_code"] == 1)
            #expect(strict?.details?["stdout"] == "")
            let fine = try await adapter.invoke(makeCall("ergon", "execute_command", ["command": "echo ok # a comment )"], host: host))
            #expect(fine["result"] == "ok")
        }
    }

    @Test func argvIsQuotedAndTheEnvironmentIsExportedByTheShell() async throws {
        // Ergon's sandbox ignores `environment` in sandbox/test: the shell exports it instead.
        let ergon = ErgonDouble()
        try await ergon.serve { url in
            let output = try await adapter(url).invoke(
                makeCall(
                    "ergon", "execute_command",
                    ["command": ["printf", "%s %s\\n", "it's here", "$GREETING"], "environment": ["GREETING": "hi 'there'"], "timeout": 42],
                    host: host, timeout: 60))
            #expect(output["result"] == "it's here $GREETING")
            let expanded = try await adapter(url).invoke(
                makeCall("ergon", "execute_command", ["command": "echo \"$GREETING\"", "environment": ["GREETING": "hi 'there'"]], host: host))
            #expect(expanded["result"] == "hi 'there'")
            let test = try #require(ergon.calls.requests("POST /api/ergon/sandbox/test").first?.body)
            #expect(test["environment"] == nil)
            #expect(test["timeout"] == 42)
        }
    }

    @Test func outputWithoutAFinalNewlineCompletes() async throws {
        // `printf a; echo __HARMONIA_EXIT__=$?` prints `a__HARMONIA_EXIT__=0`: one line.
        let ergon = ErgonDouble()
        try await ergon.serve { url in
            let adapter = try adapter(url)
            let bare = try await adapter.invoke(makeCall("ergon", "execute_command", ["command": "printf 'Hello World'"], host: host))
            #expect(bare["result"] == "Hello World")
            #expect(bare["stdout"] == "Hello World")
            #expect(bare["exit_code"] == 0)
            let twoLines = try await adapter.invoke(makeCall("ergon", "execute_command", ["command": "printf 'a\\nb'"], host: host))
            #expect(twoLines["stdout"] == "a\nb")
            let failing = await adapterError {
                try await adapter.invoke(makeCall("ergon", "execute_command", ["command": "printf oops; exit 4"], host: host))
            }
            #expect(failing?.code == "command_failed")
            #expect(failing?.details?["exit_code"] == 4)
            #expect(failing?.details?["stdout"] == "oops")
            let status = await adapterError {
                try await adapter.invoke(makeCall("ergon", "execute_command", ["command": "printf oops; false"], host: host))
            }
            #expect(status?.details?["exit_code"] == 1)
            #expect(status?.details?["stdout"] == "oops")
        }
    }

    @Test(arguments: [1, 3, 5, 7, 64])
    func aMarkerSplitAcrossDockerChunksIsStillFound(chunkBytes: Int) async throws {
        // Ergon's Docker provider splits each chunk it reads into lines: the marker can come in pieces.
        let ergon = ErgonDouble()
        ergon.useProvider(.docker(chunkBytes: chunkBytes))
        try await ergon.serve { url in
            let adapter = try adapter(url)
            for command in ["echo Hello World", "printf 'Hello World'"] {
                let output = try await adapter.invoke(makeCall("ergon", "execute_command", ["command": .string(command)], host: host))
                #expect(output["exit_code"] == 0, "\(command) in chunks of \(chunkBytes)")
                #expect(output["stdout"]?.stringValue?.replacingOccurrences(of: "\n", with: "") == "Hello World")
            }
            let failed = await adapterError {
                try await adapter.invoke(makeCall("ergon", "execute_command", ["command": "printf x; sh -c 'exit 12'"], host: host))
            }
            #expect(failed?.details?["exit_code"] == 12)
        }
    }

    @Test func errorLinesAreSandboxFailuresAndTimeoutsNotOutput() async throws {
        // Ergon's providers report their failures as `{"line": "[error] …"}`.
        let ergon = ErgonDouble()
        ergon.script("make build", .init(stdout: ["compiling"], status: 0))
        try await ergon.serve { url in
            let adapter = try adapter(url)
            ergon.failExecutions(.failed("container died"))
            let failed = await adapterError { try await adapter.invoke(makeCall("ergon", "execute_command", ["command": "make build"], host: host)) }
            #expect(failed?.code == "sandbox_error")
            #expect(failed?.message.contains("Execution failed: container died") == true)
            #expect(failed?.details?["stdout"] == "compiling\n")
            ergon.failExecutions(.timeout)
            let late = await adapterError { try await adapter.invoke(makeCall("ergon", "execute_command", ["command": "make build"], host: host)) }
            #expect(late?.code == "timeout")
            #expect(late?.retryable == true)
            #expect(late?.details?["stdout"] == "compiling\n")
            #expect(ergon.liveSandboxes == 0)
            #expect(ergon.liveUnits == 0)
        }
    }

    @Test func aFailedCommandLeavesNoSandboxAndNoUnitAndDeletesEachOnce() async throws {
        let ergon = ErgonDouble()
        ergon.script("make test", .init(stdout: ["1 failed"], status: 3))
        try await ergon.serve { url in
            let error = await adapterError {
                try await adapter(url).invoke(makeCall("ergon", "execute_command", ["command": "make test"], host: host))
            }
            #expect(error?.code == "command_failed")
            #expect(ergon.liveSandboxes == 0)
            #expect(ergon.liveUnits == 0)
            #expect(ergon.calls.routes.filter { $0.hasPrefix("DELETE /api/ergon/sandbox/") }.count == 1)
            #expect(ergon.calls.routes.filter { $0.hasPrefix("DELETE /api/ergon/registry/") }.count == 1)
            #expect(!host.logs.contains { $0.contains("cleanup failed") }, "\(host.logs)")
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
            #expect(ergon.liveUnits == 0, "\(host.logs) \(ergon.calls.routes)")
        }
    }

    @Test func theCommandsTimeoutIsEnforcedByTheAdapterNotLeftToErgon() async throws {
        // Ergon's providers do not stop a command whose output is still open at its timeout;
        // the held stream stands for one. The task's deadline is far: the input's 1 s decides.
        let ergon = ErgonDouble()
        ergon.script("sleep 600", .init())
        ergon.holdExecution(true)
        try await ergon.serve { url in
            let started = ContinuousClock.now
            let error = await adapterError {
                try await adapter(url).invoke(
                    makeCall("ergon", "execute_command", ["command": "sleep 600", "timeout": 1], host: host, timeout: 120))
            }
            let elapsed = ContinuousClock.now - started
            #expect(ergon.executeStreamsEnded == 0, "the adapter, not the end of the stream, ended the call")
            ergon.holdExecution(false)
            #expect(error?.code == "timeout")
            #expect(error?.message.contains("within its 1 s limit") == true, "\(error?.message ?? "")")
            // Far below Ergon's 600 s and the call's 120 s deadline; the 6 s bound plus cleanup
            // normally takes 6–7 s, and a machine with two suites and builds once took 30.5.
            #expect(elapsed < .seconds(90), "\(elapsed)")
            #expect(ergon.deletedSandboxes.count == 1, "\(host.logs) \(ergon.calls.routes)")
            #expect(ergon.liveUnits == 0)
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
            #expect(ergon.liveUnits == 0)
        }
    }

    @Test func agentsChatAndRegistry() async throws {
        let ergon = ErgonDouble()
        try await ergon.serve { url in
            let adapter = try adapter(url)
            let created = try await adapter.invoke(
                makeCall("ergon", "create_agent", ["name": "helper", "description": "helps"], host: host))
            let agentID = try #require(created["agent_id"]?.intValue)
            #expect(created["result"]?["name"] == "helper")
            #expect(created["result"]?["modelName"] == "double-model")

            let listed = try await adapter.invoke(makeCall("ergon", "list_agents", host: host))
            #expect(listed["count"] == 1)

            // The id as a string of digits (read through an expression) is taken as the integer.
            let ran = try await adapter.invoke(makeCall("ergon", "run_agent", ["agent_id": .string("\(agentID)"), "content": "hi"], host: host))
            #expect(ran["result"] == "helper ran: hi")
            #expect(ran["agent_id"] == .integer(agentID))
            #expect(ergon.calls.requests("POST /api/v1/agents/\(agentID)/run").first?.body == ["content": "hi", "stream": false])

            let chat = try await adapter.invoke(makeCall("ergon", "chat", ["message": "status?"], host: host))
            #expect(chat["result"] == "ergon heard: status?")
            #expect(
                ergon.calls.requests("POST /api/v1/terminal/message").first?.body
                    == ["message": "status?", "streaming": false, "save_to_memory": false])

            ergon.script("true", .init())
            _ = try await adapter.invoke(makeCall("ergon", "execute_command", ["command": "true"], host: host, executionID: "e9"))
            // The unit is gone once the command ran: nothing of Harmonia's stays in the registry.
            let search = try await adapter.invoke(makeCall("ergon", "search_registry", ["query": "e9", "limit": 5], host: host))
            #expect(search["count"] == 0)
            #expect(ergon.calls.requests("GET /api/ergon/registry/search").first?.query == "name=e9&limit=5")
        }
    }

    @Test func anUnknownAgentIsNotFoundThoughErgonAnswers500() async throws {
        try await ErgonDouble().serve { url in
            let missing = await adapterError {
                try await adapter(url).invoke(makeCall("ergon", "run_agent", ["agent_id": 404, "content": "x"], host: host))
            }
            #expect(missing?.code == "not_found")
            #expect(missing?.httpStatus == 500)
            #expect(missing?.message.contains("Agent with ID 404 not found") == true)
            #expect(missing?.retryable == false)
        }
    }

    @Test func chatsHTTP200ErrorIsAFailureNotAReply() async throws {
        let ergon = ErgonDouble()
        ergon.failChat(with: "No LLM provider available")
        try await ergon.serve { url in
            let error = await adapterError { try await adapter(url).invoke(makeCall("ergon", "chat", ["message": "hi"], host: host)) }
            #expect(error?.code == "component_error")
            #expect(error?.retryable == false)
            #expect(error?.message.contains("No LLM provider available") == true)
        }
    }

    @Test func inputsTheRealErgonRefusesAreRefusedBeforeAnyRequest() async throws {
        let ergon = ErgonDouble()
        try await ergon.serve { url in
            let adapter = try adapter(url)
            let refused: [(String, PluginJSON, String)] = [
                ("create_agent", ["name": "helper"], "input.description is required"),
                ("create_agent", ["name": "my helper", "description": "x"], "input.name must match"),
                ("create_agent", ["name": "h", "description": "x", "system_prompt": "y"], "input.system_prompt is not accepted"),
                ("run_agent", ["agent_id": "abc", "content": "x"], "input.agent_id must match"),
                ("execute_command", ["command": "ls", "cwd": "/tmp"], "input.cwd is not accepted"),
                ("execute_command", ["command": "ls", "environment": ["A": ["B": "c"]]], "input.environment.A must be string or number or boolean"),
            ]
            for (action, input, problem) in refused {
                let error = await adapterError { try await adapter.invoke(makeCall("ergon", action, input, host: host)) }
                #expect(error?.code == "invalid_input", "\(action) \(input)")
                #expect(error?.message.contains(problem) == true, "\(error?.message ?? "no error")")
            }
            #expect(ergon.calls.routes.filter { $0 != "GET /health" }.isEmpty)
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

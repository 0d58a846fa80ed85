import HarmoniaPluginKit
import SynthesisAdapter
import Testing

/// The Synthesis adapter against its double: context id as execution id, polling,
/// HTTP-200 errors, step results, re-attaching, deadline and cancellation.
@Suite(.timeLimit(.minutes(1)))
struct SynthesisAdapterTests {
    let host = LoopbackHost()

    func adapter(_ url: String) throws -> SynthesisAdapter {
        try SynthesisAdapter(
            configuration: AdapterConfiguration(component: "synthesis", endpoint: url, options: ["poll_interval": 0.01]))
    }

    static let plan: PluginJSON = [
        "steps": [["type": "command", "parameters": ["command": "echo built"]], ["type": "variable", "parameters": ["name": "x"]]]
    ]

    @Test func executePlanPollsUntilCompletedThenReadsResults() async throws {
        let synthesis = SynthesisDouble()
        synthesis.finish(afterPolls: 3)
        try await synthesis.serve { url in
            let output = try await adapter(url).invoke(
                makeCall("synthesis", "execute_plan", ["plan": Self.plan], host: host, executionID: "e1", taskID: "build"))
            #expect(output["execution_id"] == "e1:build")
            #expect(output["status"] == "completed")
            #expect(output["result"]?.arrayValue?.count == 2)
            let created = try #require(synthesis.calls.requests("POST /api/v1/executions").first?.body)
            #expect(created["context"] == ["context_id": "e1:build"])
            #expect(created["plan"] == Self.plan)
            #expect(synthesis.calls.count("GET /api/v1/executions/e1:build") == 4)
            #expect(synthesis.calls.count("GET /api/v1/executions/e1:build/results") == 1)
        }
    }

    @Test func executeCommandIsAOneStepPlan() async throws {
        let synthesis = SynthesisDouble()
        try await synthesis.serve { url in
            let output = try await adapter(url).invoke(makeCall("synthesis", "execute_command", ["command": "echo Hello World"], host: host))
            // Ergon's shape: the step's data {stdout, stderr, return_code} unpacked.
            #expect(output["result"] == "Hello World")
            #expect(output["stdout"] == "Hello World")
            #expect(output["exit_code"] == 0)
            #expect(output["success"] == true)
            #expect(
                synthesis.calls.requests("POST /api/v1/executions").first?.body["plan"]
                    == ["steps": [["type": "command", "parameters": ["command": "echo Hello World"]]]])
        }
    }

    @Test func ourNamesBecomeTheOnesSynthesisReadsAndArgvBecomesALine() async throws {
        // Synthesis reads `cwd` and `env` (not working_directory/environment) and refuses argv.
        let synthesis = SynthesisDouble()
        try await synthesis.serve { url in
            let output = try await adapter(url).invoke(
                makeCall(
                    "synthesis", "execute_command",
                    ["command": ["sh", "-c", "pwd; echo \"$GREETING\""], "working_directory": "/tmp", "environment": ["GREETING": "hi there"], "timeout": 30],
                    host: host))
            #expect(output["result"] == "/tmp\nhi there")
            let parameters = synthesis.calls.requests("POST /api/v1/executions").first?.body["plan"]?["steps"]?[0]?["parameters"]
            #expect(parameters == ["command": "sh -c 'pwd; echo \"$GREETING\"'", "cwd": "/tmp", "env": ["GREETING": "hi there"], "timeout": 30])
        }
    }

    @Test func aCancelledExecutionIsExecutionFailedNotAComponentError() async throws {
        // Synthesis keeps no results for a cancelled execution: /results answers 200 {"status": "error"}.
        let synthesis = SynthesisDouble()
        synthesis.finish(afterPolls: nil)
        try await synthesis.serve { url in
            let adapter = try adapter(url)
            let running = Task {
                try await adapter.invoke(makeCall("synthesis", "execute_command", ["command": "echo late"], host: host, executionID: "e6"))
            }
            try await waitUntil { synthesis.calls.count("GET /api/v1/executions/e6:task1") >= 1 }
            _ = try await LoopbackHost.perform(.init(method: "POST", url: url + "/api/v1/executions/e6:task1/cancel"))
            let ended = await adapterError { try await running.value }
            #expect(ended?.code == "execution_failed")
            #expect(ended?.details?["status"] == "cancelled")
            #expect(ended?.details?["results"] == [])
            #expect(ended?.details?["component_message"]?.stringValue?.contains("Results not found") == true)
        }
    }

    @Test func inputsTheRealSynthesisIgnoresAreRefused() async throws {
        let adapter = try adapter("http://127.0.0.1:1")
        let refused: [(String, PluginJSON, String)] = [
            ("execute_command", ["command": "ls", "cwd": "/tmp"], "input.cwd is not accepted"),
            ("execute_command", ["command": [1]], "input.command must be string"),
            ("execute_plan", ["plan": ["steps": []]], "input.plan.steps needs at least 1 item"),
            ("execute_plan", ["plan": ["steps": [["parameters": [:]]]]], "input.plan.steps[0].type is required"),
        ]
        for (action, input, problem) in refused {
            let error = await adapterError { try await adapter.invoke(makeCall("synthesis", action, input, host: host)) }
            #expect(error?.code == "invalid_input", "\(action) \(input)")
            #expect(error?.message.contains(problem) == true, "\(error?.message ?? "no error")")
        }
    }

    @Test func anHTTP200ErrorIsAFailure() async throws {
        let synthesis = SynthesisDouble()
        synthesis.failCreation(with: "plan has no steps of a known type")
        try await synthesis.serve { url in
            let error = await adapterError { try await adapter(url).invoke(makeCall("synthesis", "execute_plan", ["plan": Self.plan], host: host)) }
            #expect(error?.code == "component_error")
            #expect(error?.retryable == false)
            #expect(error?.httpStatus == 200)
            #expect(error?.message.contains("plan has no steps of a known type") == true)
        }
    }

    @Test func aFailedStepFailsTheCall() async throws {
        let synthesis = SynthesisDouble()
        try await synthesis.serve { url in
            let error = await adapterError {
                try await adapter(url).invoke(makeCall("synthesis", "execute_command", ["command": "make fail"], host: host))
            }
            #expect(error?.code == "execution_failed")
            #expect(error?.retryable == false)
            #expect(error?.details?["results"]?[0]?["success"] == false)
        }
    }

    @Test func aFailedStepIsNamedInTheMessage() async throws {
        let synthesis = SynthesisDouble()
        try await synthesis.serve { url in
            let plan: PluginJSON = ["plan": ["steps": [["type": "command", "parameters": ["command": "true"]], ["type": "command", "parameters": ["command": ["ls"]]]]]]
            let error = await adapterError { try await adapter(url).invoke(makeCall("synthesis", "execute_plan", plan, host: host)) }
            #expect(error?.code == "execution_failed")
            #expect(error?.message.hasSuffix("ended failed: step 1 did not succeed (Error executing command: cmd must be a string)") == true, "\(error?.message ?? "")")
        }
    }

    @Test func anExecutionThatFailsBeforeAnyStepSaysWhereTheReasonIs() async throws {
        // The real Synthesis of 2025-09-27 fails every execution before its first step, with
        // no results and no message: the task error must not look like a failed command.
        let synthesis = SynthesisDouble()
        synthesis.failBeforeSteps(true)
        try await synthesis.serve { url in
            let error = await adapterError {
                try await adapter(url).invoke(makeCall("synthesis", "execute_command", ["command": "echo hi"], host: host))
            }
            #expect(error?.code == "execution_failed")
            #expect(error?.details?["status"] == "failed")
            #expect(error?.details?["results"] == [])
            #expect(error?.message.contains("before any step ran; Synthesis gives no reason here (its log has it)") == true, "\(error?.message ?? "")")
        }
    }

    @Test func aCompletedExecutionWithAFailedStepIsAFailure() async throws {
        let synthesis = SynthesisDouble()
        synthesis.reportCompletedDespiteFailures(true)
        try await synthesis.serve { url in
            let plan: PluginJSON = [
                "steps": [["type": "command", "parameters": ["command": "echo ok"]], ["type": "command", "parameters": ["command": "fail now"]]]
            ]
            let error = await adapterError { try await adapter(url).invoke(makeCall("synthesis", "execute_plan", ["plan": plan], host: host)) }
            #expect(error?.code == "execution_failed")
            #expect(error?.details?["status"] == "completed")
            #expect(error?.message.contains("1 of 2 steps did not succeed (steps 1)") == true)
        }
    }

    @Test func aRetryReattachesToTheExecutionInsteadOfStartingAgain() async throws {
        let synthesis = SynthesisDouble()
        synthesis.finish(afterPolls: nil)
        try await synthesis.serve { url in
            let adapter = try adapter(url)
            // Attempt 1 runs out of time while the execution is still in progress.
            let first = await adapterError {
                try await adapter.invoke(makeCall("synthesis", "execute_plan", ["plan": Self.plan], host: host, executionID: "e2", timeout: 0.3))
            }
            #expect(first?.code == "timeout")
            #expect(first?.retryable == true)
            synthesis.finish(afterPolls: 1)
            let second = try await adapter.invoke(
                makeCall("synthesis", "execute_plan", ["plan": Self.plan], host: host, executionID: "e2", attempt: 2))
            #expect(second["status"] == "completed")
            #expect(synthesis.creations(of: "e2:task1") == 1)
        }
    }

    @Test func theDeadlineStopsPolling() async throws {
        let synthesis = SynthesisDouble()
        synthesis.finish(afterPolls: nil)
        try await synthesis.serve { url in
            let started = ContinuousClock.now
            let error = await adapterError {
                try await adapter(url).invoke(makeCall("synthesis", "execute_plan", ["plan": Self.plan], host: host, executionID: "e3", timeout: 0.3))
            }
            #expect(error?.code == "timeout")
            // Without the deadline the execution would be polled until the time limit: a bound
            // 100 times the deadline still tells the two apart on a loaded machine.
            #expect(ContinuousClock.now - started < .seconds(30))
            let pollingStopped = try await expectNoMoreRequests(to: url) { synthesis.calls.count("GET /api/v1/executions/e3:task1") }
            #expect(pollingStopped)
        }
    }

    @Test func cancellingStopsPollingAndCancelsTheExecution() async throws {
        let synthesis = SynthesisDouble()
        synthesis.finish(afterPolls: nil)
        try await synthesis.serve { url in
            let adapter = try adapter(url)
            let call = makeCall("synthesis", "execute_plan", ["plan": Self.plan], host: host, executionID: "e4", timeout: nil)
            let task = Task { try await adapter.invoke(call) }
            try await waitUntil { synthesis.calls.count("GET /api/v1/executions/e4:task1") >= 2 }
            task.cancel()
            let result = await task.result
            #expect(throws: CancellationError.self) { try result.get() }
            #expect(synthesis.calls.count("POST /api/v1/executions/e4:task1/cancel") == 1)
            #expect(synthesis.status(of: "e4:task1") == "cancelled")
            let pollingStopped = try await expectNoMoreRequests(to: url) { synthesis.calls.count("GET /api/v1/executions/e4:task1") }
            #expect(pollingStopped)
        }
    }

    @Test func getAndCancelExecution() async throws {
        let synthesis = SynthesisDouble()
        synthesis.finish(afterPolls: nil)
        try await synthesis.serve { url in
            let adapter = try adapter(url)
            let running = Task {
                try await adapter.invoke(makeCall("synthesis", "execute_plan", ["plan": Self.plan], host: host, executionID: "e5"))
            }
            try await waitUntil { synthesis.calls.count("GET /api/v1/executions/e5:task1") >= 1 }
            let record = try await adapter.invoke(makeCall("synthesis", "get_execution", ["execution_id": "e5:task1"], host: host))
            #expect(record["status"] == "in_progress")
            let cancelled = try await adapter.invoke(makeCall("synthesis", "cancel_execution", ["execution_id": "e5:task1"], host: host))
            #expect(cancelled["result"] == true)
            // The plan's own call sees the execution end `cancelled`: a failure.
            let ended = await adapterError { try await running.value }
            #expect(ended?.code == "execution_failed")
            #expect(ended?.details?["status"] == "cancelled")
        }
    }

    @Test func cancellingAFinishedExecutionIsAnHTTP200Error() async throws {
        try await SynthesisDouble().serve { url in
            let error = await adapterError {
                try await adapter(url).invoke(makeCall("synthesis", "cancel_execution", ["execution_id": "nope"], host: host))
            }
            #expect(error?.code == "component_error")
            #expect(error?.retryable == false)
        }
    }
}

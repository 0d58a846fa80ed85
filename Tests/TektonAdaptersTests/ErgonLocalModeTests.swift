import Foundation
import HarmoniaPluginKit
import Testing

@testable import ErgonAdapter

/// Ergon's local mode: commands run on this host with no Tekton component at all. The
/// calls get host services whose HTTP fails the test, so any network use would show.
@Suite(.timeLimit(.minutes(1)))
struct ErgonLocalModeTests {
    static func adapter(_ options: PluginJSON = [:], timeout: Double? = nil) throws -> ErgonAdapter {
        var all = options.objectValue ?? [:]
        all["local_mode"] = true
        return try ErgonAdapter(configuration: AdapterConfiguration(component: "ergon", timeout: timeout, options: .object(all)))
    }

    static func call(_ input: PluginJSON, timeout: Double? = 10) -> AdapterCall {
        AdapterCall(
            component: "ergon", action: "execute_command", input: input, executionID: "local", taskID: "task1", attempt: 1,
            idempotencyKey: "local:task1", deadline: timeout.map { Date().addingTimeInterval($0) }, invocationID: 1,
            host: HostServices(http: { request in
                Issue.record("local mode made an HTTP request: \(request.method) \(request.url)")
                throw HostHTTPError(kind: .connectFailed, message: "no network in local mode")
            }))
    }

    static func failure(_ adapter: ErgonAdapter, _ input: PluginJSON, timeout: Double? = 10) async -> AdapterError? {
        await adapterError { try await adapter.invoke(call(input, timeout: timeout)) }
    }

    @Test func echoRunsWithoutAShellAndWithoutErgon() async throws {
        let output = try await Self.adapter().invoke(Self.call(["command": "echo Hello World"]))
        #expect(output["result"] == "Hello World")
        #expect(output["stdout"] == "Hello World\n")
        #expect(output["exit_code"] == 0)
        #expect(output["success"] == true)
        #expect(output["mode"] == "local")
    }

    @Test func aStringIsSplitOnWhitespaceUnlessTheShellIsAllowed() async throws {
        let plain = try await Self.adapter().invoke(Self.call(["command": "echo $HOME | tr a b"]))
        #expect(plain["result"] == "$HOME | tr a b")
        let shell = try await Self.adapter(["allow_shell": true]).invoke(Self.call(["command": "echo abc | tr a z"]))
        #expect(shell["result"] == "zbc")
    }

    @Test func aNonZeroExitFailsWithTheOutput() async throws {
        let error = await Self.failure(try Self.adapter(), ["command": ["sh", "-c", "echo out; echo err >&2; exit 3"]])
        #expect(error?.code == "command_failed")
        #expect(error?.retryable == false)
        #expect(error?.details?["exit_code"] == 3)
        #expect(error?.details?["stdout"] == "out\n")
        #expect(error?.details?["stderr"] == "err\n")
    }

    @Test func environmentIsMergedIntoTheHostEnvironment() async throws {
        let output = try await Self.adapter().invoke(
            Self.call(["command": ["sh", "-c", "echo $GREETING-${PATH:+path}"], "environment": ["GREETING": "hi"]]))
        #expect(output["result"] == "hi-path")
    }

    @Test func theTimeoutKillsTheCommandAndWhatItStarted() async throws {
        let started = ContinuousClock.now
        // The shell's child `sleep` holds the pipes too: the whole process group is killed.
        let error = await Self.failure(try Self.adapter(["allow_shell": true]), ["command": "sleep 600; echo late", "timeout": 0.3])
        #expect(error?.code == "timeout")
        #expect(error?.details?["stdout"] == "")
        // A command left running would hold the pipes for 600 s; the bound is far from both
        // that and a loaded machine's slowest kill.
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test func theConfiguredTimeoutAppliesWhenTheInputHasNone() async throws {
        let started = ContinuousClock.now
        let error = await Self.failure(try Self.adapter(timeout: 0.3), ["command": ["sleep", "600"]])
        #expect(error?.code == "timeout")
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test func outputIsCappedAndTheTruncationNoted() async throws {
        let output = try await Self.adapter(["allow_shell": true, "max_output_bytes": 1000]).invoke(
            Self.call(["command": "yes | head -c 5000"]))
        #expect(output["stdout"]?.stringValue?.utf8.count == 1000)
        let notes = output["notes"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(notes.contains { $0.contains("stdout truncated: 4000 bytes") })
    }

    @Test func cancellationKillsTheProcess() async throws {
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("ergon-local-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: marker) }
        let adapter = try Self.adapter()
        let task = Task { try await adapter.invoke(Self.call(["command": ["sh", "-c", .string("touch \(marker); sleep 600")]], timeout: nil)) }
        try await waitUntil { FileManager.default.fileExists(atPath: marker) }
        let started = ContinuousClock.now
        task.cancel()
        let result = await task.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test func anUnknownProgramIsCommandNotFound() async throws {
        let error = await Self.failure(try Self.adapter(), ["command": "no-such-program-harmonia --help"])
        #expect(error?.code == "command_not_found")
        #expect(error?.retryable == false)
    }

    @Test func otherActionsStillGoToErgon() async throws {
        // Local mode only changes execute_command.
        let adapter = try ErgonAdapter(
            configuration: AdapterConfiguration(component: "ergon", endpoint: "http://127.0.0.1:1", options: ["local_mode": true]))
        let call = makeCall("ergon", "list_agents", host: LoopbackHost())
        let error = await adapterError { try await adapter.invoke(call) }
        #expect(error?.code == "component_unreachable")
    }
}

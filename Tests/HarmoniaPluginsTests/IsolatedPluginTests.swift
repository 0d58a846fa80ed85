import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaPlugins
import HarmoniaTestSupport
import Logging
import Synchronization
import Testing

/// The same adapters in both isolation modes: results, progress, logs, host HTTP,
/// cancellation and deadlines behave the same whether the library is `dlopen`ed into this
/// process or served by a `harmonia plugin-host` child; and in a child, a crash ends only
/// the child's calls (retryable `component_crashed`), the host restarts, and a crash loop
/// leaves the component unavailable with the reason.
@Suite(.timeLimit(.minutes(3)))
struct IsolatedPluginTests {
    static let modes: [PluginIsolationDefault] = [.inProcess, .process]

    func echo(_ isolation: PluginIsolationDefault) async throws -> PluginTestBed {
        let bed = try PluginTestBed(components: ["echo": ComponentConfiguration()], cancelGrace: .seconds(30), isolation: isolation)
        try PluginFixtures.install(try PluginFixtures.echoLibrary(), into: bed.directory)
        _ = await bed.manager.reloadInBackground()
        return bed
    }

    func example(_ isolation: PluginIsolationDefault, settings: IsolationSettings = IsolationSettings()) async throws -> PluginTestBed {
        let bed = try PluginTestBed(
            components: ["example": ComponentConfiguration(options: ["prefix": "x-"])], isolation: isolation, isolationSettings: settings)
        try await PluginFixtures.buildExample(into: bed.directory)
        _ = await bed.manager.reloadInBackground()
        return bed
    }

    @Test(arguments: modes)
    func resultsProgressAndLogsAreTheSame(isolation: PluginIsolationDefault) async throws {
        let bed = try await echo(isolation)
        defer { bed.cleanUp() }
        let adapter = try bed.adapter("echo")
        #expect((adapter as? PluginAdapter)?.isIsolated == (isolation == .process))
        let progress = Mutex<[String]>([])
        let result = await adapter.invoke(call("echo", ["message": "hi"]) { text in progress.withLock { $0.append(text) } })
        #expect(result == .success(["message": "hi", "result": "hi", "attempt": 1, "idempotency_key": "exec-1:task-1"]))
        #expect(progress.withLock { $0 } == ["echoing"])
        await eventually("the plugin's log line reaches the server's log") { bed.logs.contains("echo for task-1", level: .info) }
        let failure = try #require(await adapter.invoke(call("fail", ["code": "busy", "retryable": true])).failure)
        #expect(failure.code == "busy")
        #expect(failure.retryable)
    }

    @Test(arguments: modes)
    func hostHTTPGoesThroughTheServer(isolation: PluginIsolationDefault) async throws {
        let server = try TinyHTTPServer(routes: ["/hello": (200, "hi there")])
        defer { server.stop() }
        let bed = try await echo(isolation)
        defer { bed.cleanUp() }
        let result = await (try bed.adapter("echo")).invoke(call("fetch", ["url": .string(server.baseURL + "/hello")]))
        #expect(result == .success(["result": "hi there", "status": 200]))
    }

    @Test(arguments: modes)
    func cancellationReachesThePlugin(isolation: PluginIsolationDefault) async throws {
        let bed = try await echo(isolation)
        defer { bed.cleanUp() }
        let adapter = try bed.adapter("echo")
        let task = Task { await adapter.invoke(call("sleep", ["seconds": 60])) }
        await eventually("the plugin logs \"sleeping\"") { bed.logs.contains("sleeping", level: .debug) }
        task.cancel()
        let failure = try #require(await task.value.failure)
        #expect(failure.code == "canceled")
        #expect(failure.message == "echo.sleep was canceled", "ended by the adapter, not by the host's grace")
    }

    @Test(arguments: modes)
    func misbehavioursEndEachCallOnce(isolation: PluginIsolationDefault) async throws {
        let bed = try await example(isolation)
        defer { bed.cleanUp() }
        let adapter = try bed.adapter("example")
        #expect(await adapter.invoke(call("upper", ["text": "hello"])) == .success(["result": "X-HELLO"]))
        for _ in 0..<50 { #expect(await adapter.invoke(call("noop")) == .success(.emptyObject)) }
        #expect(await adapter.invoke(call("badjson")).failure?.code == "invalid_plugin_output")
        #expect(await adapter.invoke(call("twice")) == .success(["result": "first"]))
        await eventually("a second completion is logged as a warning") { bed.logs.contains("a second time", level: .warning) }
        let never = try #require(await adapter.invoke(call("never", deadline: Date().addingTimeInterval(0.2))).failure)
        #expect(never.code == "timeout")
        #expect(never.retryable)
    }

    @Test func aCrashEndsOnlyTheChildsCallsAndTheHostRestarts() async throws {
        let bed = try PluginTestBed(components: ["faults": ComponentConfiguration()], isolation: .process)
        defer { bed.cleanUp() }
        try await PluginFixtures.compile(
            PluginFixtures.root.appendingPathComponent("Plugins/FaultInjectionC/fault_adapter.c"),
            into: bed.directory.appendingPathComponent("libfaults.so"), extra: ["-lpthread"])
        _ = await bed.manager.reloadInBackground()
        let adapter = try bed.adapter("faults")
        let crash = try #require(await adapter.invoke(call("crash", ["how": "segv"])).failure)
        #expect(crash.code == "component_crashed")
        #expect(crash.retryable)
        #expect(crash.message.contains("signal 11"), "\(crash.message)")
        // Unavailable (tasks wait) until the restart registers the adapter again.
        await eventually("the component is served again", timeout: .seconds(30)) {
            if case .available = bed.registry.availability(of: "faults") { return true }
            return false
        }
        let again = try bed.adapter("faults")
        let flaky = await again.invoke(
            Invocation(executionID: "e", taskID: "t", attempt: 2, action: "flaky", input: ["fail_attempts": 1]))
        #expect(flaky == .success(["attempt": 2]))
    }

    @Test func aCrashLoopLeavesTheComponentUnavailableWithTheReason() async throws {
        let settings = IsolationSettings(crashLimit: 2, crashWindow: .seconds(60), initialBackoff: .milliseconds(10))
        let bed = try PluginTestBed(components: ["faults": ComponentConfiguration()], isolation: .process, isolationSettings: settings)
        defer { bed.cleanUp() }
        try await PluginFixtures.compile(
            PluginFixtures.root.appendingPathComponent("Plugins/FaultInjectionC/fault_adapter.c"),
            into: bed.directory.appendingPathComponent("libfaults.so"), extra: ["-lpthread"])
        _ = await bed.manager.reloadInBackground()
        #expect(await (try bed.adapter("faults")).invoke(call("crash", ["how": "abort"])).failure?.code == "component_crashed")
        await eventually("the component is served again", timeout: .seconds(30)) { bed.registry.adapter(for: "faults") != nil }
        #expect(await (try bed.adapter("faults")).invoke(call("crash", ["how": "abort"])).failure?.code == "component_crashed")
        guard case .unavailable(let reason) = bed.registry.availability(of: "faults") else {
            Issue.record("expected faults to stay unavailable, got \(bed.registry.availability(of: "faults"))")
            return
        }
        #expect(reason.contains("signal 6"), "\(reason)")
        #expect(reason.contains("not restarted until a reload"), "\(reason)")
        // A reload (of the unchanged file) starts a fresh host.
        _ = await bed.manager.reloadInBackground()
        await eventually("a reload serves the component again", timeout: .seconds(30)) { bed.registry.adapter(for: "faults") != nil }
    }

    @Test func aHungChildIsKilledAfterItsPingsGoUnanswered() async throws {
        // The child answers pings from its own reader thread; a child that stops reading
        // (SIGSTOP stands in for a wedged process) is killed and its calls end as crashed.
        let settings = IsolationSettings(pingInterval: .milliseconds(100), pingTimeout: .milliseconds(600))
        let bed = try await example(.process, settings: settings)
        defer { bed.cleanUp() }
        let adapter = try bed.adapter("example")
        let pending = Task { await adapter.invoke(call("never")) }
        let pids = try Self.pluginHostPIDs(serving: bed.directory.path)
        try #require(pids.count >= 1, "no plugin-host child found")
        for pid in pids { kill(pid, SIGSTOP) }
        let failure = try #require(await pending.value.failure)
        #expect(failure.code == "component_crashed")
        #expect(failure.message.contains("stopped answering"), "\(failure.message)")
    }

    /// The `harmonia plugin-host` children of this process serving a library in `directory`
    /// (only this test's: the other tests' children run in parallel).
    static func pluginHostPIDs(serving directory: String) throws -> [pid_t] {
        let me = getpid()
        return try FileManager.default.contentsOfDirectory(atPath: "/proc").compactMap { Int32($0) }.filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
            else { return false }
            let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
            let arguments = String(decoding: cmdline, as: UTF8.self)
            return fields.count > 2 && Int32(fields[1]) == me && arguments.contains("plugin-host") && arguments.contains(directory)
        }
    }
}

extension PluginIsolationDefault: CustomTestStringConvertible {
    public var testDescription: String { rawValue }
}

import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaPlugins
import HarmoniaTestSupport
import Testing

/// Loading on demand (Hermes mode) honours `isolation` exactly as start-up loading does:
/// under the server's `auto` default a third-party C adapter opened because discovery asked
/// for its component runs in a plugin host child (never `dlopen`ed here), so its crash ends
/// only its own calls, as retryable `component_crashed`, and the component comes back once
/// the host restarts; `isolation: in_process`, set explicitly, stays in this process.
@Suite(.timeLimit(.minutes(3)))
struct OnDemandIsolationTests {
    func faults(into bed: PluginTestBed) async throws {
        try await PluginFixtures.compile(
            PluginFixtures.root.appendingPathComponent("Plugins/FaultInjectionC/fault_adapter.c"),
            into: bed.directory.appendingPathComponent("libfaults.so"), extra: ["-lpthread"])
    }

    /// Whether the dynamic linker has `libfaults.so` of `directory` loaded in this process:
    /// `RTLD_NOLOAD` finds a loaded object by its file (device and inode), whatever path it
    /// was opened by, and loads nothing.
    static func mapped(_ directory: URL) -> Bool {
        guard let handle = dlopen(directory.appendingPathComponent("libfaults.so").path, RTLD_NOW | RTLD_NOLOAD) else {
            return false
        }
        dlclose(handle)
        return true
    }

    @Test func underAutoAnAdapterOpenedOnDemandRunsInAChildAndItsCrashEndsOnlyItsCalls() async throws {
        let bed = try PluginTestBed(loadOnDemand: true, isolation: .auto)
        defer { bed.cleanUp() }
        try await faults(into: bed)
        let adapter = try bed.manager.instantiate(component: "faults", settings: ComponentConfiguration()).get()
        #expect(adapter.isIsolated, "a library outside the executable's directory runs in a plugin host under auto")
        #expect(!Self.mapped(bed.directory), "the library is not loaded into this process, not even to read its manifest")
        #expect(try IsolatedPluginTests.pluginHostPIDs(serving: bed.directory.path).count == 1)
        #expect(bed.manager.isolation(ofComponent: "faults") == ComponentIsolation(isolation: .process, host: .running))
        // What the discovery reconciler does with the adapter it asked for.
        bed.registry.register(adapter)

        let crash = try #require(await adapter.invoke(call("crash", ["how": "segv"])).failure)
        #expect(crash.code == "component_crashed" && crash.retryable, "\(crash)")
        #expect(crash.message.contains("signal 11"), "\(crash.message)")
        await eventually("the component is served again after its host restarts", timeout: .seconds(30)) {
            if case .available = bed.registry.availability(of: "faults") { return true }
            return false
        }
        let retry = await (try bed.adapter("faults")).invoke(
            Invocation(executionID: "e", taskID: "t", attempt: 2, action: "flaky", input: ["fail_attempts": 1]))
        #expect(retry == .success(["attempt": 2]))
        #expect(bed.manager.isolation(ofComponent: "faults")?.host == .running)
    }

    @Test func inProcessSetExplicitlyStaysInProcess() async throws {
        let bed = try PluginTestBed(loadOnDemand: true, isolation: .auto)
        defer { bed.cleanUp() }
        try await faults(into: bed)
        let adapter = try bed.manager.instantiate(
            component: "faults", settings: ComponentConfiguration(isolation: .inProcess)
        ).get()
        #expect(!adapter.isIsolated)
        #expect(Self.mapped(bed.directory), "dlopened into this process")
        // Under `auto` the file was first described by a plugin host child; with no component
        // left to adopt it, it is discarded and exits once its socket closes (not at once on a
        // loaded machine), and none serves the component.
        #expect(try await eventually("no plugin host child is left") {
            try IsolatedPluginTests.pluginHostPIDs(serving: bed.directory.path).isEmpty
        })
        #expect(await adapter.invoke(call("flaky", ["fail_attempts": 0])) == .success(["attempt": 1]))
        #expect(bed.manager.isInService(adapter))
    }

    /// The pids in the log lines `plugin host (pid N) loaded …` and `plugin host started (pid N)`.
    static func pids(_ bed: PluginTestBed, _ prefix: String) -> [String] {
        bed.logs.all.map(\.message).filter { $0.hasPrefix(prefix) }.compactMap { message in
            message.split(separator: "(pid ").dropFirst().first?.split(separator: ")").first.map(String.init)
        }
    }

    @Test(arguments: [false, true])
    func theChildThatDescribesALibraryServesItsComponent(onDemand: Bool) async throws {
        let bed = try PluginTestBed(loadOnDemand: onDemand, isolation: .process)
        defer { bed.cleanUp() }
        try await faults(into: bed)
        _ = await bed.manager.reloadInBackground()
        if onDemand {
            _ = try bed.manager.instantiate(component: "faults", settings: ComponentConfiguration()).get()
        }
        let loaded = Self.pids(bed, "plugin host (pid ")
        let started = Self.pids(bed, "plugin host started (pid ")
        #expect(loaded.count == 1 && started == loaded, "one child loads the library and serves it: \(loaded) \(started)")
        #expect(try IsolatedPluginTests.pluginHostPIDs(serving: bed.directory.path).map(String.init) == started)
    }

    @Test func theHostStateFollowsACrashLoop() async throws {
        let settings = IsolationSettings(crashLimit: 1, crashWindow: .seconds(60))
        let bed = try PluginTestBed(loadOnDemand: true, isolation: .process, isolationSettings: settings)
        defer { bed.cleanUp() }
        try await faults(into: bed)
        #expect(bed.manager.isolation(ofComponent: "faults") == nil, "no file opened yet")
        let adapter = try bed.manager.instantiate(component: "faults", settings: ComponentConfiguration()).get()
        bed.registry.register(adapter)
        #expect(bed.manager.isolation(ofComponent: "faults")?.host == .running)
        #expect(await adapter.invoke(call("crash", ["how": "abort"])).failure?.code == "component_crashed")
        #expect(bed.manager.isolation(ofComponent: "faults") == ComponentIsolation(isolation: .process, host: .crashLooped))
        guard case .unavailable(let reason) = bed.registry.availability(of: "faults") else {
            Issue.record("expected faults to be unavailable, got \(bed.registry.availability(of: "faults"))")
            return
        }
        #expect(reason.contains("not restarted until a reload"), "\(reason)")
    }

    @Test func aNewInstanceRetiresThePreviousHostAndShutdownStopsTheRest() async throws {
        let bed = try PluginTestBed(loadOnDemand: true, isolation: .process)
        defer { bed.cleanUp() }
        try await faults(into: bed)
        let first = try bed.manager.instantiate(component: "faults", settings: ComponentConfiguration()).get()
        let second = try bed.manager.instantiate(component: "faults", settings: ComponentConfiguration()).get()
        #expect(first.isIsolated && second.isIsolated)
        #expect(!bed.manager.isInService(first) && bed.manager.isInService(second))
        // The component moved (a new endpoint): the previous instance's host stops, as the
        // previous in-process instance is destroyed, once its calls are done (none here).
        try await eventually("only the current instance's host is left", timeout: .seconds(30)) {
            try IsolatedPluginTests.pluginHostPIDs(serving: bed.directory.path).count == 1
        }
        #expect(await second.invoke(call("flaky", ["fail_attempts": 0])) == .success(["attempt": 1]))
        await bed.manager.stopPluginHosts()
        #expect(try IsolatedPluginTests.pluginHostPIDs(serving: bed.directory.path).isEmpty)
    }
}

import Foundation
import HarmoniaSpawn
import HarmoniaCore
import HarmoniaEngine
import HarmoniaPlugins

/// `harmonia-plugin-bench [--iterations N] [--plugin PATH.so [--component NAME]] [--isolation in_process|process]`: the
/// latency of one no-op invoke → completion through the C ABI (by default the example C
/// adapter's `noop`, which completes inside `invoke`; with `--plugin` any adapter's `noop`,
/// e.g. a Swift one), next to the same call on the built-in adapter: median / p99 / p99.9.
///
/// With `--isolation process` the adapter runs in a `harmonia plugin-host` child (the
/// `harmonia` built next to this executable), so each call crosses the socket twice.
///
/// Without `--plugin` it compiles `Plugins/ExampleC/example_adapter.c` (run it from the
/// repository root) with `cc -O2 -shared -fPIC` into a temporary directory.
/// An `@main` type, not top-level code: see plugin-abi.md on release builds.
@main
struct PluginBench {
    static func main() async throws {
        var iterations = 100_000
        var plugin: String?
        var component = "example"
        var isolation = PluginIsolationDefault.inProcess
        var arguments = CommandLine.arguments.dropFirst().makeIterator()
        while let argument = arguments.next() {
            switch argument {
            case "--iterations": iterations = Int(arguments.next() ?? "") ?? iterations
            case "--plugin": plugin = arguments.next()
            case "--component": component = arguments.next() ?? component
            case "--isolation":
                guard let mode = arguments.next().flatMap(PluginIsolationDefault.init(rawValue:)), mode != .auto else {
                    print("--isolation takes in_process or process")
                    return
                }
                isolation = mode
            default:
                print("usage: harmonia-plugin-bench [--iterations N] [--plugin PATH.so [--component NAME]] [--isolation in_process|process]")
                return
            }
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("harmonia-plugin-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        defer { try? FileManager.default.removeItem(at: directory) }
        let library = directory.appendingPathComponent("libexample.so")
        if let plugin {
            try FileManager.default.copyItem(atPath: plugin, toPath: library.path)
        } else {
            try compileExample(to: library.path)
        }
        let registry = AdapterRegistry()
        let manager = PluginManager(
            configuration: PluginsConfiguration(directories: [directory.path], defaultIsolation: isolation), registry: registry)
        manager.reload()
        defer { manager.unregisterAll() }
        guard let adapter = registry.adapter(for: component) else {
            print("no adapter for '\(component)': \(manager.records.map { "\($0.path): \($0.status) \($0.reason ?? "")" })")
            return
        }
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; iterations: \(iterations)")
        let kind = manager.records.first?.buildSignature ?? ""
        try await measure(
            "\(component).noop through the ABI (\(kind), isolation \(isolation.rawValue))", adapter: adapter, iterations: iterations)
        try await measure("built-in adapter noop (no ABI, for comparison)", adapter: BuiltinAdapter(), iterations: iterations)
    }

    static func measure(_ label: String, adapter: any ComponentAdapter, iterations: Int) async throws {
        let invocation = Invocation(executionID: "bench", taskID: "t", attempt: 1, action: "noop", input: .emptyObject)
        for _ in 0..<min(10_000, iterations) { _ = await adapter.invoke(invocation) }
        var samples: [Int64] = []
        samples.reserveCapacity(iterations)
        let clock = ContinuousClock()
        let total = clock.now
        for _ in 0..<iterations {
            let start = clock.now
            let result = await adapter.invoke(invocation)
            let elapsed = clock.now - start
            guard case .success = result else { throw HarmoniaError(.taskFailed, "noop failed: \(result)") }
            samples.append(nanoseconds(elapsed))
        }
        let seconds = Double(nanoseconds(clock.now - total)) / 1e9
        samples.sort()
        func percentile(_ p: Double) -> String {
            String(format: "%.2f µs", Double(samples[min(samples.count - 1, Int(Double(samples.count) * p))]) / 1000)
        }
        print("\(label): median \(percentile(0.5)), p99 \(percentile(0.99)), p99.9 \(percentile(0.999)), \(Int(Double(iterations) / seconds)) calls/s sequential")
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }

    static func compileExample(to output: String) throws {
        let source = FileManager.default.currentDirectoryPath + "/Plugins/ExampleC/example_adapter.c"
        let header = FileManager.default.currentDirectoryPath + "/Plugins/HarmoniaPluginKit/Sources/CHarmoniaPluginABI/include"
        // posix_spawn, not Foundation's Process (see SpawnedProcess).
        let process = try SpawnedProcess(
            executable: "/usr/bin/env", arguments: ["cc", "-O2", "-shared", "-fPIC", "-I", header, "-o", output, source, "-lpthread"],
            environment: ProcessInfo.processInfo.environment, stdout: .inherit, stderr: .inherit)
        guard process.waitUntilExit() == .init(status: 0, signaled: false) else {
            throw HarmoniaError(.invalidRequest, "cc failed; run from the repository root or pass --plugin")
        }
    }
}

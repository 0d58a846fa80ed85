import Foundation
import HarmoniaCore
import HarmoniaEngine
import HarmoniaPlugins
import Logging

/// The adapters as the server runs them: `libHarmonia<Name>.so` (built by SwiftPM next to
/// the test bundle) copied into a fresh plugin directory and loaded by `PluginManager` —
/// trust check, `dlopen`, ABI handshake, one configured instance per component — into an
/// `AdapterRegistry` that also holds the built-in `harmonia` component.
struct TektonPlugins {
    let directory: URL
    let registry: AdapterRegistry
    let manager: PluginManager

    /// The library serving each component.
    static let libraries = [
        "ergon": "libHarmoniaErgon.so", "prometheus": "libHarmoniaPrometheus.so", "rhetor": "libHarmoniaRhetor.so",
        "engram": "libHarmoniaEngram.so", "synthesis": "libHarmoniaSynthesis.so",
    ]

    /// Loads the libraries of the configured components, each with its configuration.
    init(_ components: [String: ComponentConfiguration]) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("harmonia-tekton-plugins-\(UUID().uuidString)")
        directory = root.appendingPathComponent("plugins")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root.path)
        for component in components.keys {
            guard let name = Self.libraries[component] else { throw DoubleError("no adapter library for \(component)") }
            let target = directory.appendingPathComponent(name)
            try FileManager.default.copyItem(at: try Self.builtLibrary(name), to: target)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: target.path)
        }
        registry = AdapterRegistry([BuiltinAdapter()])
        var logger = Logger(label: "tekton-plugins")
        logger.logLevel = .warning
        // A long cleanup window and request timeout: the adapters' cleanup after a cancel or a
        // deadline must reach the doubles however loaded the machine is. Neither costs time
        // when things go well: the host stops waiting as soon as the plugin confirms a cancel.
        manager = PluginManager(
            configuration: PluginsConfiguration(
                directories: [directory.path], components: components, activateUnconfigured: false,
                cancelGracePeriod: .seconds(30), defaultHTTPTimeout: .seconds(60)),
            registry: registry, logger: logger)
        let records = manager.reload()
        for component in components.keys where registry.adapter(for: component) == nil {
            let why = records.map { "\($0.path): \($0.status) \($0.reason ?? "") \($0.instanceErrors)" }.joined(separator: "; ")
            throw DoubleError("\(component) did not load: \(why)")
        }
    }

    /// `name` in the build products directory (next to the test bundle or a few levels up).
    static func builtLibrary(_ name: String) throws -> URL {
        let executable = URL(
            fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        var directory = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        throw DoubleError("\(name) not found near \(executable.path): build the package's products (swift build)")
    }

    func cleanUp() {
        manager.unregisterAll()
        try? FileManager.default.removeItem(at: directory.deletingLastPathComponent())
    }
}

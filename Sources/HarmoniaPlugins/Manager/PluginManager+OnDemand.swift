import Foundation
import HarmoniaCore
import HarmoniaEngine
import Logging

extension PluginManager {
    /// A new adapter instance for `component`, configured with `settings`, from the plugin
    /// file that serves it; not registered anywhere (the caller decides, e.g. the discovery
    /// reconciler when Hermes reports the component).
    ///
    /// The plugin file is opened (trust check, `dlopen`, handshake, `on_init`) on the first
    /// call that needs it, not at start-up: files whose name contains the component name are
    /// tried first, so `engram` opens `libHarmoniaEngram.so` and nothing else. A file opened
    /// here joins the manager's records like one loaded by `reload()`, which then leaves it
    /// alone while it is unchanged. Every call makes a new instance (`on_instance_new`);
    /// the previous one is destroyed when its last call ends.
    public func instantiate(component: String, settings: ComponentConfiguration) -> Result<PluginAdapter, HarmoniaError> {
        let component = component.lowercased()
        return loadLock.withLock { _ -> Result<PluginAdapter, HarmoniaError> in
            guard let library = library(serving: component) else {
                let directories = configuration.directories.map(PluginLoader.absolutePath).joined(separator: ", ")
                return .failure(
                    HarmoniaError(
                        .componentUnavailable,
                        "no plugin in \(directories.isEmpty ? "(no plugin directories)" : directories) serves component '\(component)'"))
            }
            guard let manifest = library.description.components.first(where: { $0.name == component }) else {
                return .failure(HarmoniaError(.componentUnavailable, "plugin \(library.path) does not serve '\(component)'"))
            }
            switch library.newInstance(component: component, configuration: settings.json(component: component)) {
            case .success(let pointer):
                let instance = PluginInstance(library: library, component: component, pointer: pointer)
                return .success(
                    PluginAdapter(
                        instance: instance, actions: manifest.actions, logger: logger,
                        cancelGracePeriod: configuration.cancelGracePeriod))
            case .failure(let error):
                logger.error("plugin \(library.description.name) (\(library.path)) \(error.message)")
                return .failure(error)
            }
        }
    }

    /// The version of the plugin file at `path`, if it is in service.
    public func pluginVersion(path: String) -> String? {
        state.withLock { $0.loaded[path]?.record.version }
    }

    /// Component names suggested by the plugin files' names (`libHarmoniaEngram.so` →
    /// `engram`), known without opening anything.
    public var componentsByFileName: Set<String> {
        var names: Set<String> = []
        for directory in configuration.directories {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: PluginLoader.absolutePath(directory))) ?? []
            for file in files where file.hasSuffix(".so") {
                var name = String(file.dropLast(3))
                for prefix in ["libHarmonia", "lib"] where name.hasPrefix(prefix) {
                    name = String(name.dropFirst(prefix.count))
                    break
                }
                if !name.isEmpty { names.insert(name.lowercased()) }
            }
        }
        return names
    }

    /// The library in service that serves `component`, else the first file of the
    /// directories that does, opened now. Called under `loadLock`.
    private func library(serving component: String) -> PluginLibrary? {
        let inService = state.withLock { state in
            state.loaded.values.first { loaded in loaded.library.description.components.contains { $0.name == component } }
        }
        if let inService { return inService.library }
        for path in candidatePaths(preferring: component) {
            let identity = FileIdentity(path: path)
            let known = state.withLock { state -> Bool in
                if let loaded = state.loaded[path], loaded.identity == identity { return true }
                if let refused = state.refused[path], refused.identity == identity { return true }
                // Opened before and changed since: `reload()` handles the snapshot dance.
                return state.opened.contains(path)
            }
            if known { continue }
            guard let library = open(path, identity: identity) else { continue }
            if library.description.components.contains(where: { $0.name == component }) { return library }
        }
        return nil
    }

    /// `*.so` files of the configured directories, those whose name mentions `component` first.
    private func candidatePaths(preferring component: String) -> [String] {
        var preferred: [String] = []
        var others: [String] = []
        for directory in configuration.directories {
            let directory = PluginLoader.absolutePath(directory)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for name in names.sorted() where name.hasSuffix(".so") {
                let path = directory + "/" + name
                if preferred.contains(path) || others.contains(path) { continue }
                if name.lowercased().contains(component) { preferred.append(path) } else { others.append(path) }
            }
        }
        return preferred + others
    }

    /// Trust checks, `dlopen`, handshake and `on_init`; records the file as in service (with
    /// no registered adapters) or as refused, exactly as a scan would.
    private func open(_ path: String, identity: FileIdentity?) -> PluginLibrary? {
        let directory = (path as NSString).deletingLastPathComponent
        if let problem = TrustCheck.directoryProblem(directory) {
            remember(refused: PluginRecord(path: path, status: .refused, reason: "untrusted directory: \(problem)"), identity: identity)
            return nil
        }
        let library: PluginLibrary
        switch PluginLoader.open(path: path) {
        case .success(let opened): library = opened
        case .failure(let error):
            remember(refused: PluginRecord(path: path, status: .refused, reason: error.message), identity: identity)
            return nil
        }
        state.withLock { _ = $0.opened.insert(path) }
        let description = library.description
        let context = HostPluginContext(
            name: description.name, path: path, logger: logger, httpTimeout: configuration.defaultHTTPTimeout,
            maxHTTPResponseBytes: configuration.maxHTTPResponseBytes)
        if let reason = library.initialize(context: context) {
            remember(
                refused: PluginLoader.record(description, path: path, status: .refused, reason: reason), identity: identity)
            return nil
        }
        let record = PluginLoader.record(description, path: path, status: .loaded)
        state.withLock { state in
            state.refused[path] = nil
            state.loaded[path] = Loaded(identity: identity, library: library, adapters: [], record: record)
        }
        logger.info(
            "loaded plugin \(description.name) \(description.version) (ABI \(description.abiVersion), \(description.buildSignature)) from \(path) on demand")
        return library
    }

    private func remember(refused record: PluginRecord, identity: FileIdentity?) {
        logger.error("refused plugin \(record.path): \(record.reason ?? "no reason")")
        state.withLock { $0.refused[record.path] = (identity, record) }
    }
}

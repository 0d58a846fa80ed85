import Foundation
import HarmoniaCore
import Logging
import Synchronization

extension PluginManager {
    /// A new adapter instance for `component`, configured with `settings`, from the plugin
    /// file that serves it; not registered anywhere (the caller decides, e.g. the discovery
    /// reconciler when Hermes reports the component).
    ///
    /// The plugin file is opened (trust check, `dlopen`, handshake, `on_init`) on the first
    /// call that needs it, not at start-up, and without opening every file to read its
    /// manifest. The file is found in this order:
    ///
    /// 1. a file already in service whose manifest names the component;
    /// 2. a file named after it, `libHarmonia<Name>.so` or `lib<Name>.so` (case and `_`/`-`
    ///    ignored: `libHarmoniaEngram.so` for `engram`);
    /// 3. only if none serves it, the other files one at a time (directory order, then name
    ///    order) until one's manifest names it, skipping the files named after a component
    ///    in `presumed` (`libHarmoniaErgon.so` is taken to serve `ergon` and is not opened
    ///    to look for `apollo`).
    ///
    /// A file opened here joins the manager's records like one loaded by `reload()`, which
    /// then leaves it alone while it is unchanged. Every call makes a new instance
    /// (`on_instance_new`); the previous one is destroyed when its last call ends.
    public func instantiate(
        component: String, settings: ComponentConfiguration, presumed: Set<String> = []
    ) -> Result<PluginAdapter, HarmoniaError> {
        let component = component.lowercased()
        return loadLock.withLock { _ -> Result<PluginAdapter, HarmoniaError> in
            guard let library = library(serving: component, presumed: presumed) else {
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

    /// Whether `adapter` was made from the version of its plugin file now in service: false
    /// once `reload()` superseded or dropped that version, so its owner should instantiate
    /// the component again.
    public func isInService(_ adapter: PluginAdapter) -> Bool {
        state.withLock { state in
            guard let loaded = state.loaded[adapter.pluginPath] else { return false }
            guard let instance = adapter.instance as? PluginInstance else {
                return loaded.adapters.contains { $0.isSameInstance(as: adapter) }
            }
            return loaded.library === instance.library
        }
    }

    /// A value that changes when a `*.so` file appears in, leaves or changes in the plugin
    /// directories: read with `readdir` and `stat` only, nothing is opened. Lets a caller
    /// retry a component no file served, once there is something new to try.
    public var filesFingerprint: Int {
        var hasher = Hasher()
        for path in candidatePaths() {
            hasher.combine(path)
            hasher.combine(FileIdentity(path: path))
        }
        return hasher.finalize()
    }

    /// The version of the plugin file at `path`, if it is in service.
    public func pluginVersion(path: String) -> String? {
        state.withLock { $0.loaded[path]?.record.version }
    }

    /// Component names suggested by the plugin files' names (`libHarmoniaEngram.so` →
    /// `engram`), known without opening anything.
    public var componentsByFileName: Set<String> {
        Set(candidatePaths().compactMap { Self.componentName(fileName: ($0 as NSString).lastPathComponent) })
    }

    /// The component a file is named after: the name without `.so` and without a leading
    /// `libHarmonia` (else `lib`), lower-cased; nil when nothing is left.
    static func componentName(fileName: String) -> String? {
        guard fileName.hasSuffix(".so") else { return nil }
        var name = String(fileName.dropLast(3))
        for prefix in ["libHarmonia", "lib"] where name.hasPrefix(prefix) {
            name = String(name.dropFirst(prefix.count))
            break
        }
        return name.isEmpty ? nil : name.lowercased()
    }

    /// A name for comparing file names with component names: lower case, no `_` or `-`.
    private static func matchKey(_ name: String) -> String {
        name.lowercased().filter { $0 != "_" && $0 != "-" }
    }

    /// The library in service that serves `component`, else the file named after it, else
    /// the first other file (not named after a `presumed` component) that serves it, opened
    /// now, one at a time. Called under `loadLock`.
    private func library(serving component: String, presumed: Set<String>) -> PluginLibrary? {
        let paths = candidatePaths()
        let inService = state.withLock { state -> PluginLibrary? in
            // Directory order first, then files in service that have since left the directories.
            let ordered = paths.compactMap { state.loaded[$0] } + state.loaded.filter { !paths.contains($0.key) }
                .sorted { $0.key < $1.key }.map { $0.value }
            return ordered.compactMap(\.library).first { $0.description.components.contains { $0.name == component } }
        }
        if let inService { return inService }
        let wanted = Self.matchKey(component)
        let spared = Set(presumed.map(Self.matchKey)).subtracting([wanted])
        var named: [String] = []
        var others: [String] = []
        for path in paths {
            let key = Self.componentName(fileName: (path as NSString).lastPathComponent).map(Self.matchKey)
            if key == wanted {
                named.append(path)
            } else if !spared.contains(key ?? "") {
                others.append(path)
            }
        }
        for path in named + others {
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

    /// `*.so` files of the configured directories: directory order, then name order.
    private func candidatePaths() -> [String] {
        var paths: [String] = []
        var seen: Set<String> = []
        for directory in configuration.directories {
            let directory = PluginLoader.absolutePath(directory)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for name in names.sorted() where name.hasSuffix(".so") {
                let path = directory + "/" + name
                if seen.insert(path).inserted { paths.append(path) }
            }
        }
        return paths
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

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
    ///
    /// The component runs where its isolation says, exactly as at start-up (`admit`,
    /// `adapter(for:…)`): `settings.isolation`, else `plugins.isolation` (`auto`: a plugin host
    /// child for a library not shipped with Harmonia). An isolated component's previous
    /// instance (the component moved, or was instantiated again) has its plugin host
    /// stopped once its calls are done.
    public func instantiate(
        component: String, settings: ComponentConfiguration, presumed: Set<String> = []
    ) -> Result<PluginAdapter, HarmoniaError> {
        let component = component.lowercased()
        return loadLock.withLock { _ -> Result<PluginAdapter, HarmoniaError> in
            guard let (path, description, described) = file(serving: component, presumed: presumed) else {
                let directories = configuration.directories.map(PluginLoader.absolutePath).joined(separator: ", ")
                return .failure(
                    HarmoniaError(
                        .componentUnavailable,
                        "no plugin in \(directories.isEmpty ? "(no plugin directories)" : directories) serves component '\(component)'"))
            }
            // The child that described a file opened just now serves the component if it runs in one.
            var launched = described
            defer { launched?.discard() }
            guard let manifest = description.components.first(where: { $0.name == component }) else {
                return .failure(HarmoniaError(.componentUnavailable, "plugin \(path) does not serve '\(component)'"))
            }
            var library = state.withLock { $0.loaded[path]?.library }
            let identity = state.withLock { $0.loaded[path]?.identity }
            switch adapter(
                for: manifest, path: path, pluginName: description.name, identity: identity, settings: settings,
                library: &library, launched: &launched)
            {
            case .built(let adapter):
                keep(adapter, library: library, path: path)
                return .success(adapter)
            case .rejected(let error):
                logger.error("plugin \(description.name) (\(path)) \(error.message)")
                return .failure(error)
            case .fileRefused(let reason):
                return .failure(HarmoniaError(.pluginInstanceRejected, "plugin \(path) could not be opened: \(reason)"))
            }
        }
    }

    /// Records what `instantiate` built: the library it opened (a file described by a plugin
    /// host child is opened here only for an `in_process` component), and an isolated
    /// adapter, whose plugin host the manager stops at shutdown and which replaces (and
    /// retires) the component's previous one.
    private func keep(_ adapter: PluginAdapter, library: PluginLibrary?, path: String) {
        let previous = state.withLock { state -> [PluginAdapter] in
            guard var loaded = state.loaded[path] else { return [] }
            if loaded.library == nil { loaded.library = library }
            var previous: [PluginAdapter] = []
            if adapter.isIsolated {
                previous = loaded.adapters.filter { $0.component == adapter.component }
                loaded.adapters.removeAll { $0.component == adapter.component }
                loaded.adapters.append(adapter)
            }
            state.loaded[path] = loaded
            return previous
        }
        for old in previous { Self.retire(old) }
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

    /// The file in service that serves `component` (with its description), else the file
    /// named after it, else the first other file (not named after a `presumed` component)
    /// that serves it, admitted now (`admit`: opened here, or described by a plugin host
    /// child, returned too), one at a time. Called under `loadLock`.
    private func file(serving component: String, presumed: Set<String>) -> (String, PluginDescription, LaunchedHost?)? {
        let paths = candidatePaths()
        let inService = state.withLock { state -> (String, PluginRecord)? in
            // Directory order first, then files in service that have since left the directories.
            let ordered =
                paths.compactMap { path in state.loaded[path].map { (path, $0) } }
                + state.loaded.filter { !paths.contains($0.key) }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            return ordered.first { $0.1.record.components.contains { $0.name == component } }.map { ($0.0, $0.1.record) }
        }
        if let (path, record) = inService {
            let library = state.withLock { $0.loaded[path]?.library }
            return (path, library?.description ?? Self.description(of: record), nil)
        }
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
            guard let (description, launched) = admitOnDemand(path, identity: identity) else { continue }
            if description.components.contains(where: { $0.name == component }) { return (path, description, launched) }
            launched?.discard()
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

    /// The trust check of the file's directory, then `admit`; records the file as in service
    /// (with no adapters yet) or as refused, exactly as a scan would.
    private func admitOnDemand(_ path: String, identity: FileIdentity?) -> (PluginDescription, LaunchedHost?)? {
        let directory = (path as NSString).deletingLastPathComponent
        if let problem = TrustCheck.directoryProblem(directory) {
            refuse(path, identity: identity, reason: "untrusted directory: \(problem)")
            return nil
        }
        guard let admitted = admit(path, identity: identity) else { return nil }
        let (library, description) = (admitted.library, admitted.description)
        let record = PluginLoader.record(description, path: path, status: .loaded)
        state.withLock { state in
            state.refused[path] = nil
            state.loaded[path] = Loaded(identity: identity, library: library, adapters: [], record: record)
        }
        logger.info(
            "loaded plugin \(description.name) \(description.version) (ABI \(description.abiVersion), \(description.buildSignature)) from \(path) on demand\(library == nil ? " (described by a plugin host)" : "")")
        return (description, admitted.launched)
    }
}

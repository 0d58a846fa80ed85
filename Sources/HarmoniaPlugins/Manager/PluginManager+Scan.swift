import Foundation
import HarmoniaCore
import Logging
import Synchronization

extension PluginManager {
    /// Scans the configured directories and brings the registry in line with what is
    /// there. Returns the records (as `records`). Safe to call at any time, from any thread.
    ///
    /// With `loadOnDemand` (Hermes mode) nothing new is opened and nothing is registered:
    /// only the files already opened or tried are looked at again (see `refresh()`).
    @discardableResult
    public func reload() -> [PluginRecord] {
        loadLock.withLock { _ in configuration.loadOnDemand ? refresh() : scan() }
        return records
    }

    /// `reload()` on a Dispatch thread, for async callers (a route handler, a SIGHUP task):
    /// `dlopen`, file copies and plugin init hooks must not block a thread of Swift's small
    /// cooperative pool.
    public func reloadInBackground() async -> [PluginRecord] {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: self.reload()) }
        }
    }

    private func scan() {
        var seen: [String] = []
        var untrusted: [String: String] = [:]
        for directory in configuration.directories {
            let directory = PluginLoader.absolutePath(directory)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
                logger.debug("plugin directory \(directory) does not exist or cannot be read; skipped")
                continue
            }
            let directoryProblem = TrustCheck.directoryProblem(directory)
            for name in names.sorted() where name.hasSuffix(".so") {
                let path = directory + "/" + name
                guard !seen.contains(path) else { continue }
                seen.append(path)
                if let directoryProblem { untrusted[path] = directoryProblem }
            }
        }
        dropRemoved(keeping: Set(seen))
        for path in seen {
            let identity = FileIdentity(path: path)
            if isUnchanged(path, identity) {
                reviveGivenUpHosts(path)
                continue
            }
            if let problem = untrusted[path] {
                refuse(path, identity: identity, reason: "untrusted directory: \(problem)")
                continue
            }
            load(path, identity: identity)
        }
    }

    /// A reload is what a crash loop waits for: the plugin host children of `path` that were
    /// given up on start again.
    private func reviveGivenUpHosts(_ path: String) {
        let adapters = state.withLock { $0.loaded[path]?.adapters ?? [] }
        for adapter in adapters { (adapter.instance as? IsolatedInstance)?.revive() }
    }

    /// Whether `path` was loaded or refused as this very file (same identity) before.
    private func isUnchanged(_ path: String, _ identity: FileIdentity?) -> Bool {
        state.withLock { state in
            if let loaded = state.loaded[path], loaded.identity == identity { return true }
            if let refused = state.refused[path], refused.identity == identity { return true }
            return false
        }
    }

    /// The on-demand rescan: files opened (or tried and refused) before are checked again,
    /// so a changed one supersedes its version in service and a removed one is dropped;
    /// files never asked for stay unopened. The new version gets no instances: whoever
    /// instantiated the old one (the discovery reconciler) sees `isInService` turn false and
    /// instantiates again from the new version.
    private func refresh() {
        let tried = state.withLock { Set($0.loaded.keys).union($0.refused.keys) }
        let present = tried.filter { FileManager.default.fileExists(atPath: $0) }
        dropRemoved(keeping: present)
        for path in present.sorted() {
            let identity = FileIdentity(path: path)
            if isUnchanged(path, identity) { continue }
            if let problem = TrustCheck.directoryProblem((path as NSString).deletingLastPathComponent) {
                refuse(path, identity: identity, reason: "untrusted directory: \(problem)")
                continue
            }
            load(path, identity: identity)
        }
    }

    /// Files that disappeared: their components leave the registry.
    private func dropRemoved(keeping current: Set<String>) {
        let gone = state.withLock { state -> [Loaded] in
            state.refused = state.refused.filter { current.contains($0.key) }
            let removed = state.loaded.filter { !current.contains($0.key) }
            for (path, loaded) in removed {
                state.loaded[path] = nil
                var record = loaded.record
                record.status = .superseded
                record.reason = "the file was removed"
                state.superseded.append(record)
            }
            return Array(removed.values)
        }
        for loaded in gone {
            logger.info("plugin file \(loaded.record.path) was removed; its components are no longer served")
            for adapter in loaded.adapters {
                unregister(adapter)
                Self.retire(adapter)
            }
        }
    }

    private func load(_ path: String, identity: FileIdentity?) {
        // Opened here, or described by a plugin host child (`admit`).
        guard let admitted = admit(path, identity: identity) else { return }
        var library = admitted.library
        var launched = admitted.launched
        // The describing child serves the first component that runs in a child, if any.
        defer { launched?.discard() }
        let description = admitted.description
        if let conflict = componentConflict(description, path: path) {
            refuse(path, identity: identity, reason: conflict, description: description)
            return
        }
        var adapters: [PluginAdapter] = []
        var instanceErrors: [String: String] = [:]
        // On demand, the instances are built by `instantiate` for whoever asks, not here.
        for component in description.components where !configuration.loadOnDemand {
            let settings = configuration.components[component.name]
            guard settings != nil || configuration.activateUnconfigured else { continue }
            switch adapter(
                for: component, path: path, pluginName: description.name, identity: identity,
                settings: settings ?? ComponentConfiguration(), library: &library, launched: &launched)
            {
            case .built(let adapter): adapters.append(adapter)
            case .rejected(let error):
                instanceErrors[component.name] = error.message
                logger.error("plugin \(description.name) (\(path)) \(error.message)")
            case .fileRefused:
                for adapter in adapters { Self.retire(adapter) }
                return
            }
        }
        let record = PluginLoader.record(description, path: path, status: .loaded, instanceErrors: instanceErrors)
        let previous = state.withLock { state -> Loaded? in
            let previous = state.loaded[path]
            if var old = previous?.record {
                old.status = .superseded
                old.reason = "replaced by a newer file at the same path"
                state.superseded.append(old)
            }
            state.refused[path] = nil
            state.loaded[path] = Loaded(identity: identity, library: library, adapters: adapters, record: record)
            return previous
        }
        for adapter in adapters { registry.register(adapter) }
        // Components the new version no longer serves leave the registry.
        for old in previous?.adapters ?? [] where !adapters.contains(where: { $0.component == old.component }) {
            unregister(old)
        }
        // The previous version's plugin host children stop once their calls are done.
        for old in previous?.adapters ?? [] { Self.retire(old) }
        let verb = previous == nil ? "loaded" : "reloaded"
        let served = adapters.map { $0.isIsolated ? "\($0.component) (process)" : $0.component }
        logger.info(
            "\(verb) plugin \(description.name) \(description.version) (ABI \(description.abiVersion), \(description.buildSignature)) from \(path): \(served.joined(separator: ", "))")
    }

    /// Trust checks, `dlopen` (of a snapshot copy when an earlier version is still mapped),
    /// handshake and `on_init`, in this process; nil when refused (and recorded so).
    func openInProcess(_ path: String, identity: FileIdentity?) -> PluginLibrary? {
        // The dynamic linker would return the still-mapped earlier version of this file:
        // open a private copy of the new one instead.
        let snapshot = state.withLock { $0.opened.contains(path) }
        let library: PluginLibrary
        switch PluginLoader.open(path: path, snapshot: snapshot) {
        case .success(let opened): library = opened
        case .failure(let error):
            refuse(path, identity: identity, reason: error.message)
            return nil
        }
        state.withLock { _ = $0.opened.insert(path) }
        let description = library.description
        let context = HostPluginContext(
            name: description.name, path: path, logger: logger, httpTimeout: configuration.defaultHTTPTimeout,
            maxHTTPResponseBytes: configuration.maxHTTPResponseBytes)
        if let reason = library.initialize(context: context) {
            refuse(path, identity: identity, reason: reason, description: description)
            return nil
        }
        return library
    }

    /// A component already served by another plugin file, or by a built-in adapter.
    private func componentConflict(_ description: PluginDescription, path: String) -> String? {
        let owners = state.withLock { state -> [String: String] in
            var owners: [String: String] = [:]
            for (otherPath, loaded) in state.loaded where otherPath != path {
                for adapter in loaded.adapters { owners[adapter.component] = otherPath }
            }
            return owners
        }
        for component in description.components {
            if let owner = owners[component.name] {
                return "component '\(component.name)' is already served by \(owner)"
            }
            if let existing = registry.adapter(for: component.name), !(existing is PluginAdapter) {
                return "component '\(component.name)' is served by a built-in adapter"
            }
        }
        return nil
    }

    func refuse(_ path: String, identity: FileIdentity?, reason: String, description: PluginDescription? = nil) {
        logger.error("refused plugin \(path): \(reason)")
        let record =
            description.map { PluginLoader.record($0, path: path, status: .refused, reason: reason) }
            ?? PluginRecord(path: path, status: .refused, reason: reason)
        // A refused new version leaves the version in service (if any) in service.
        state.withLock { $0.refused[path] = (identity, record) }
    }
}

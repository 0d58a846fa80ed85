import Foundation
import HarmoniaCore
import Logging
import Synchronization

extension PluginManager {
    /// A file `admit` took in: its library if opened here, its description, and the plugin
    /// host child that described it (nil when opened here).
    struct Admitted {
        var library: PluginLibrary?
        var description: PluginDescription
        var launched: LaunchedHost?
    }

    /// What building one component's adapter came to.
    enum AdapterOutcome {
        case built(PluginAdapter)
        /// The instance (or its plugin host) refused: the file stays in service.
        case rejected(HarmoniaError)
        /// Opening the file in this process failed: the file is refused (and recorded so).
        case fileRefused(String)
    }

    /// The file at `path` as its default isolation wants it: opened in this process
    /// (`in_process`), or described by a plugin host child so that its constructors and
    /// `on_init` never run here (`process`); nil when refused (and recorded so). The child
    /// that described it is returned running, for the first component that runs in a child
    /// to adopt (`adapter(for:…)`); the caller discards it if none does.
    ///
    /// Start-up scans and on-demand loading (Hermes) both come through here, so a file is
    /// treated the same whichever way it is first needed.
    func admit(_ path: String, identity: FileIdentity?) -> Admitted? {
        if configuration.defaultIsolation(ofFile: path) == .inProcess {
            guard let opened = openInProcess(path, identity: identity) else { return nil }
            return Admitted(library: opened, description: opened.description, launched: nil)
        }
        switch IsolatedInstance.describe(path: path, configuration: configuration, logger: logger) {
        case .success(let launched):
            return Admitted(library: nil, description: Self.description(of: launched.record), launched: launched)
        case .failure(let error):
            refuse(path, identity: identity, reason: error.reason)
            return nil
        }
    }

    /// An adapter for `component` of the file at `path`, where its isolation puts it
    /// (`settings.isolation`, else the default for the file): a plugin host child of its own,
    /// or a new instance of `library`, which is opened here first when the file was only
    /// described so far. The one place both start-up loading and on-demand loading decide.
    /// The first component to run in a child takes `launched` (the child that described
    /// the file), if there is one.
    func adapter(
        for component: PluginComponent, path: String, pluginName: String, identity: FileIdentity?,
        settings: ComponentConfiguration, library: inout PluginLibrary?, launched: inout LaunchedHost?
    ) -> AdapterOutcome {
        if (settings.isolation ?? configuration.defaultIsolation(ofFile: path)) == .process {
            let host = launched
            launched = nil
            switch isolatedAdapter(path: path, pluginName: pluginName, component: component, settings: settings, launched: host) {
            case .success(let adapter): return .built(adapter)
            case .failure(let error): return .rejected(error)
            }
        }
        if library == nil {
            guard let opened = openInProcess(path, identity: identity) else {
                let reason = state.withLock { $0.refused[path]?.record.reason } ?? "refused"
                return .fileRefused(reason)
            }
            library = opened
        }
        guard let library else { return .fileRefused("refused") }
        switch library.newInstance(component: component.name, configuration: settings.json(component: component.name)) {
        case .success(let pointer):
            let instance = PluginInstance(library: library, component: component.name, pointer: pointer)
            return .built(
                PluginAdapter(
                    instance: instance, actions: component.actions, logger: logger, cancelGracePeriod: configuration.cancelGracePeriod))
        case .failure(let error):
            return .rejected(error)
        }
    }

    /// Where `component` runs, and the state of its plugin host when it has one: the adapter
    /// in service if there is one, else what its isolation setting would give the file that
    /// serves it. Nil when no plugin file in service serves it (a built-in component).
    public func isolation(ofComponent component: String) -> ComponentIsolation? {
        state.withLock { state -> ComponentIsolation? in
            let files = state.loaded.sorted { $0.key < $1.key }
            for (_, loaded) in files {
                guard let adapter = loaded.adapters.last(where: { $0.component == component }) else { continue }
                if let instance = adapter.instance as? IsolatedInstance {
                    return ComponentIsolation(isolation: .process, host: instance.hostState)
                }
                return ComponentIsolation(isolation: .inProcess, host: nil)
            }
            guard let (path, _) = files.first(where: { $0.value.record.components.contains { $0.name == component } }) else {
                return nil
            }
            let isolation = configuration.isolation(of: component, file: path)
            // Described but never started (in Hermes mode: not listed yet).
            return ComponentIsolation(isolation: isolation, host: isolation == .process ? .stopped : nil)
        }
    }
}

/// Where a plugin component runs (`GET /components`' `isolation`) and, under
/// `isolation: process`, what its plugin host is doing.
public struct ComponentIsolation: Sendable, Hashable {
    public var isolation: PluginIsolation
    /// Nil in process.
    public var host: PluginHostState?

    public init(isolation: PluginIsolation, host: PluginHostState?) {
        self.isolation = isolation
        self.host = host
    }
}

/// The state of a component's plugin host child, as `GET /components` shows it.
public enum PluginHostState: String, Sendable, Hashable, CaseIterable {
    /// Its first child is being started.
    case starting
    /// A child serves calls.
    case running
    /// The child ended; a new one starts after the backoff.
    case restarting
    /// It ended too often within the crash window: not restarted until a reload.
    case crashLooped = "crash_looped"
    /// No child: never started (not needed yet) or taken out of service.
    case stopped
}

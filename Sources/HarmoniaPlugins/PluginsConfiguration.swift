import Foundation
import HarmoniaCore

/// How the server finds and configures adapter plugins.
public struct PluginsConfiguration: Sendable, Hashable {
    /// Directories scanned for `*.so` files (not recursively), in order. A component
    /// served by two files goes to the first one found.
    public var directories: [String]
    /// Per-component settings handed to the plugin's `instance_new`.
    public var components: [String: ComponentConfiguration]
    /// Whether a component that a plugin serves but `components` does not mention still gets
    /// an instance (with an empty configuration). Off means the configuration selects.
    public var activateUnconfigured: Bool
    /// Hermes mode: no scan opens a file. `instantiate(component:settings:)` opens the file
    /// serving a component when something (the discovery reconciler) first needs it, and
    /// `reload()` refreshes only the files already opened or tried, building no instances:
    /// who asked for an instance rebuilds it from the new version. Off: `reload()` opens every
    /// file and the configuration selects the components.
    public var loadOnDemand: Bool
    /// How long a canceled call may take to answer the cancel hook before the host gives
    /// up on it and reports `canceled` itself; also the call's cleanup window: from the
    /// cancel (or the deadline) on, this long, its new host HTTP requests are still served
    /// so the adapter can undo remote work (docs/plugin-abi.md §3.2).
    public var cancelGracePeriod: Duration
    /// The timeout of a host HTTP request whose plugin asked for none.
    public var defaultHTTPTimeout: Duration
    /// The largest HTTP response body the host collects for a plugin.
    public var maxHTTPResponseBytes: Int
    /// The isolation of components whose configuration names none (`ComponentConfiguration.isolation`).
    /// `in_process` here (the library's default); the server uses `auto`.
    public var defaultIsolation: PluginIsolationDefault
    /// Plugin host children: executable, health pings, restarts.
    public var isolationSettings: IsolationSettings

    public init(
        directories: [String] = [], components: [String: ComponentConfiguration] = [:],
        activateUnconfigured: Bool = true, loadOnDemand: Bool = false, cancelGracePeriod: Duration = .seconds(2),
        defaultHTTPTimeout: Duration = .seconds(30), maxHTTPResponseBytes: Int = 32 << 20,
        defaultIsolation: PluginIsolationDefault = .inProcess, isolationSettings: IsolationSettings = IsolationSettings()
    ) {
        self.defaultIsolation = defaultIsolation
        self.isolationSettings = isolationSettings
        self.directories = directories
        self.components = components
        self.activateUnconfigured = activateUnconfigured
        self.loadOnDemand = loadOnDemand
        self.cancelGracePeriod = cancelGracePeriod
        self.defaultHTTPTimeout = defaultHTTPTimeout
        self.maxHTTPResponseBytes = maxHTTPResponseBytes
    }
}

extension PluginsConfiguration {
    /// The default plugin directories: where the build put the project's adapters (the
    /// running executable's directory: SwiftPM writes each `lib<Adapter>.so` next to the
    /// `harmonia` binary) and `<dataDirectory>/plugins`.
    ///
    /// The build directory also holds the test adapter `libHarmoniaEcho.so` (component
    /// `echo`); with `activateUnconfigured` off it loads but serves nothing unless configured.
    public static func defaultDirectories(dataDirectory: String) -> [String] {
        var directories: [String] = []
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            directories.append((executable as NSString).deletingLastPathComponent)
        } else if let executable = Bundle.main.executablePath {
            directories.append((executable as NSString).deletingLastPathComponent)
        }
        directories.append((dataDirectory as NSString).appendingPathComponent("plugins"))
        return directories
    }
}

/// The configuration of one component instance: where the component is and how to talk to it.
public struct ComponentConfiguration: Sendable, Hashable {
    /// The component's base URL, e.g. `http://localhost:8002`.
    public var endpoint: String?
    /// The adapter's default per-call timeout, in seconds.
    public var timeout: Double?
    /// Adapter-specific options (an object).
    public var options: JSONValue
    /// Where the adapter runs; nil: the plugins' default (`PluginsConfiguration.defaultIsolation`).
    public var isolation: PluginIsolation?

    public init(
        endpoint: String? = nil, timeout: Double? = nil, options: JSONValue = .emptyObject, isolation: PluginIsolation? = nil
    ) {
        self.isolation = isolation
        self.endpoint = endpoint
        self.timeout = timeout
        self.options = options
    }

    /// The `config_json` for `instance_new`: `{"component", "endpoint"?, "timeout"?, "options"}`.
    func json(component: String) -> JSONValue {
        var object: [String: JSONValue] = [
            "component": .string(component),
            "options": options.objectValue.map(JSONValue.object) ?? .emptyObject,
        ]
        if let endpoint { object["endpoint"] = .string(endpoint) }
        if let timeout { object["timeout"] = .double(timeout) }
        return .object(object)
    }
}

extension PluginsConfiguration {
    /// The isolation of the components of the file at `path` that name none themselves.
    func defaultIsolation(ofFile path: String) -> PluginIsolation {
        switch defaultIsolation {
        case .process: return .process
        case .inProcess: return .inProcess
        case .auto:
            let directory = (path as NSString).deletingLastPathComponent
            return directory == IsolationSettings.shippedDirectory ? .inProcess : .process
        }
    }

    /// Where `component`, served by the file at `path`, runs.
    func isolation(of component: String, file path: String) -> PluginIsolation {
        components[component]?.isolation ?? defaultIsolation(ofFile: path)
    }
}

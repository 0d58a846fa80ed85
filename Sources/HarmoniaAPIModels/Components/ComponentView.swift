/// One component in `GET /components`: where it comes from, whether it can be called now,
/// its actions, and the plugin file behind it.
public struct ComponentView: Sendable, Hashable, Codable {
    public var name: String
    /// `builtin`, `config` (the `components:` section), `plugin` or `hermes` (discovered).
    public var source: String
    public var available: Bool
    /// Why it cannot be called now, when it cannot.
    public var reason: String?
    /// Its action names.
    public var actions: [String]
    public var endpoint: String?
    /// Whether the library serving it is loaded (always true for the built-in component);
    /// in Hermes mode a library is loaded only once Hermes lists its component.
    public var adapterLoaded: Bool
    /// The shared library serving it; nil for the built-in component.
    public var pluginFile: String?
    public var pluginName: String?
    public var version: String?
    /// The plugin ABI version the library was built against.
    public var abiVersion: String?
    /// Where a plugin component runs: `process` (a plugin host child of its own) or
    /// `in_process`; nil for the built-in component.
    public var isolation: String?
    /// Under `process` isolation, its plugin host: `starting`, `running`, `restarting`,
    /// `crash_looped` (not restarted until a reload; `reason` says why) or `stopped`.
    public var hostState: String?

    public init(
        name: String, source: String, available: Bool, reason: String? = nil, actions: [String],
        endpoint: String? = nil, adapterLoaded: Bool = false, pluginFile: String? = nil, pluginName: String? = nil,
        version: String? = nil, abiVersion: String? = nil, isolation: String? = nil, hostState: String? = nil
    ) {
        self.isolation = isolation
        self.hostState = hostState
        self.name = name
        self.source = source
        self.available = available
        self.reason = reason
        self.actions = actions
        self.endpoint = endpoint
        self.adapterLoaded = adapterLoaded
        self.pluginFile = pluginFile
        self.pluginName = pluginName
        self.version = version
        self.abiVersion = abiVersion
    }

    enum CodingKeys: String, CodingKey {
        case name, source, available, reason, actions, endpoint, version, isolation
        case hostState = "host_state"
        case pluginFile = "plugin_file"
        case pluginName = "plugin_name"
        case abiVersion = "abi_version"
        case adapterLoaded = "adapter_loaded"
    }
}

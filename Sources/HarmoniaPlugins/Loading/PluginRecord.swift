import HarmoniaCore

/// What the server knows about one plugin file: shown by the components routes and by
/// `harmonia plugins list|inspect`.
public struct PluginRecord: Sendable, Hashable, Codable {
    /// Whether the plugin serves calls.
    public enum Status: String, Sendable, Hashable, Codable {
        /// Loaded and initialised (its instances may still have been rejected: see `instanceErrors`).
        case loaded
        /// Not loaded; `reason` says exactly why.
        case refused
        /// Loaded once, then replaced by a newer file at the same path; kept mapped, not unloaded.
        case superseded
        /// `inspect` only: it would load (it was opened and described, never initialised).
        case loadable
    }

    /// The file's absolute path.
    public var path: String
    /// The plugin's name and version from its descriptor (empty when it could not be read).
    public var name: String
    public var version: String
    /// `major.minor` of the ABI the plugin was built for (empty when unknown).
    public var abiVersion: String
    /// The build signature, e.g. `harmonia-abi-1;c` or `harmonia-abi-1;swift-6.3.1`.
    public var buildSignature: String
    /// The components the manifest lists, with their actions.
    public var components: [PluginComponent]
    public var status: Status
    /// Why the plugin was refused; nil when it loaded.
    public var reason: String?
    /// Components whose instance the plugin rejected, with its reason.
    public var instanceErrors: [String: String]

    public init(
        path: String, name: String = "", version: String = "", abiVersion: String = "", buildSignature: String = "",
        components: [PluginComponent] = [], status: Status, reason: String? = nil, instanceErrors: [String: String] = [:]
    ) {
        self.path = path
        self.name = name
        self.version = version
        self.abiVersion = abiVersion
        self.buildSignature = buildSignature
        self.components = components
        self.status = status
        self.reason = reason
        self.instanceErrors = instanceErrors
    }

    enum CodingKeys: String, CodingKey {
        case path, name, version, components, status, reason
        case abiVersion = "abi_version"
        case buildSignature = "build_signature"
        case instanceErrors = "instance_errors"
    }
}

/// One component of a plugin's manifest.
public struct PluginComponent: Sendable, Hashable, Codable {
    public var name: String
    public var description: String
    public var actions: [ActionDescriptor]

    public init(name: String, description: String, actions: [ActionDescriptor]) {
        self.name = name
        self.description = description
        self.actions = actions
    }
}

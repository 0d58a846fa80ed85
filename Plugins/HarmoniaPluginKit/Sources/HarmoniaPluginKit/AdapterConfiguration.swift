/// The configuration of one component instance, as the operator wrote it.
///
/// It arrives as the `config_json` of `instance_new`:
/// `{"component", "endpoint"?, "timeout"? (seconds), "options": {...}}`.
public struct AdapterConfiguration: Sendable, Hashable {
    /// The component this instance serves (one of the manifest's).
    public var component: String
    /// The component's base URL (`http://localhost:8002`), when configured.
    public var endpoint: String?
    /// The default per-call timeout in seconds, when configured.
    public var timeout: Double?
    /// Adapter-specific options; always an object.
    public var options: PluginJSON

    public init(component: String, endpoint: String? = nil, timeout: Double? = nil, options: PluginJSON = .emptyObject) {
        self.component = component
        self.endpoint = endpoint
        self.timeout = timeout
        self.options = options
    }

    /// Reads the ABI's configuration object.
    public init(json: PluginJSON) {
        self.init(
            component: json["component"]?.stringValue ?? "",
            endpoint: json["endpoint"]?.stringValue,
            timeout: json["timeout"]?.doubleValue,
            options: json["options"]?.objectValue.map(PluginJSON.object) ?? .emptyObject)
    }

    /// The configuration object the ABI carries.
    public var json: PluginJSON {
        var object: [String: PluginJSON] = ["component": .string(component), "options": options]
        if let endpoint { object["endpoint"] = .string(endpoint) }
        if let timeout { object["timeout"] = .double(timeout) }
        return .object(object)
    }
}

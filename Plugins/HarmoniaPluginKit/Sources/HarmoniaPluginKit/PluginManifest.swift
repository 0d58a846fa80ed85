/// A plugin's self-description, serialized into the descriptor's `manifest_json`.
public struct PluginManifest: Sendable, Hashable {
    /// The plugin's name (often the component's), shown by `harmonia plugins list`.
    public var name: String
    /// The plugin's own version, e.g. `1.0.0`.
    public var version: String
    /// The components the plugin serves; each gets its own configured instance.
    public var components: [ComponentManifest]

    public init(name: String, version: String, components: [ComponentManifest]) {
        self.name = name
        self.version = version
        self.components = components
    }

    /// A plugin serving one component.
    public init(name: String, version: String, component: String, description: String = "", actions: [ActionManifest]) {
        self.init(
            name: name, version: version,
            components: [ComponentManifest(name: component, description: description, actions: actions)])
    }

    /// The manifest as the ABI carries it:
    /// `{"components": [{"name", "description", "actions": [{"name", "description", "input_schema"}]}]}`.
    public var json: PluginJSON {
        ["components": .array(components.map(\.json))]
    }
}

/// One component a plugin serves.
public struct ComponentManifest: Sendable, Hashable {
    /// The component name tasks use, lower case (`ergon`).
    public var name: String
    public var description: String
    public var actions: [ActionManifest]

    public init(name: String, description: String = "", actions: [ActionManifest]) {
        self.name = name
        self.description = description
        self.actions = actions
    }

    var json: PluginJSON {
        ["name": .string(name), "description": .string(description), "actions": .array(actions.map(\.json))]
    }
}

/// One action of a component, with the JSON Schema of its input.
public struct ActionManifest: Sendable, Hashable {
    public var name: String
    public var description: String
    /// JSON Schema of the action's input (`{}` accepts anything).
    public var inputSchema: PluginJSON

    public init(name: String, description: String = "", inputSchema: PluginJSON = .emptyObject) {
        self.name = name
        self.description = description
        self.inputSchema = inputSchema
    }

    var json: PluginJSON {
        ["name": .string(name), "description": .string(description), "input_schema": inputSchema]
    }
}

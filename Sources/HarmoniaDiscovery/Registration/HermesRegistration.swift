import HarmoniaCore

/// The body of `POST /api/register`: who Harmonia is and where it serves.
public struct HermesRegistration: Sendable, Hashable {
    public var componentID: String
    public var name: String
    public var version: String
    public var type: String
    /// `http://<host>:<port>` as other Tekton components reach Harmonia.
    public var endpoint: String
    public var capabilities: [String]
    public var metadata: JSONValue

    public init(
        componentID: String, name: String, version: String, type: String, endpoint: String, capabilities: [String],
        metadata: JSONValue = .emptyObject
    ) {
        self.componentID = componentID
        self.name = name
        self.version = version
        self.type = type
        self.endpoint = endpoint
        self.capabilities = capabilities
        self.metadata = metadata
    }

    /// What tekton.md says Harmonia registers.
    public static let harmoniaCapabilities = [
        "workflow_orchestration", "state_management", "event_streaming", "component_coordination",
    ]

    /// Harmonia's own registration: name and type `harmonia`, the four capabilities, and
    /// metadata with the version, the data directory and the event types it streams.
    public static func harmonia(
        componentID: String = "harmonia", endpoint: String, version: String, dataDirectory: String
    ) -> HermesRegistration {
        HermesRegistration(
            componentID: componentID, name: "harmonia", version: version, type: "harmonia", endpoint: endpoint,
            capabilities: harmoniaCapabilities,
            metadata: .object([
                "version": .string(version),
                "data_dir": .string(dataDirectory),
                "event_types": .array(EventType.allCases.map { .string($0.rawValue) }),
                "description": .string("Workflow orchestration for the Tekton ecosystem"),
            ]))
    }

    /// The JSON body, `component_id` included so Hermes keeps one entry across restarts.
    var json: JSONValue {
        .object([
            "component_id": .string(componentID),
            "name": .string(name),
            "version": .string(version),
            "type": .string(type),
            "endpoint": .string(endpoint),
            "capabilities": .array(capabilities.map(JSONValue.string)),
            "metadata": metadata,
        ])
    }
}

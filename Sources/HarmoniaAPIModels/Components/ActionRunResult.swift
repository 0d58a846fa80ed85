import HarmoniaCore

/// The data of `POST /components/{name}/actions/{action}`: the adapter's output of one
/// directly run action, outside any workflow.
public struct ActionRunResult: Sendable, Hashable, Codable {
    public var component: String
    public var action: String
    public var output: JSONValue
    /// How long the adapter call took, in milliseconds.
    public var durationMS: Double

    public init(component: String, action: String, output: JSONValue, durationMS: Double) {
        self.component = component
        self.action = action
        self.output = output
        self.durationMS = durationMS
    }

    enum CodingKeys: String, CodingKey {
        case component, action, output
        case durationMS = "duration_ms"
    }
}

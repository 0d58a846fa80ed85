import HarmoniaCore

/// A stored workflow definition as the API returns it: every definition field in
/// snake_case, plus `workflow_id` (equal to `id`) for clients that expect that name.
public struct WorkflowView: Codable, Sendable, Hashable {
    public var definition: WorkflowDefinition

    public init(_ definition: WorkflowDefinition) {
        self.definition = definition
    }

    /// Same as `definition.id`.
    public var workflowID: String { definition.id }

    private enum ExtraKeys: String, CodingKey {
        case workflowID = "workflow_id"
    }

    public init(from decoder: any Decoder) throws {
        self.definition = try WorkflowDefinition(from: decoder)
    }

    /// Encodes the definition's own keys and then `workflow_id` into the same object.
    public func encode(to encoder: any Encoder) throws {
        try definition.encode(to: encoder)
        var extra = encoder.container(keyedBy: ExtraKeys.self)
        try extra.encode(definition.id, forKey: .workflowID)
    }
}

import HarmoniaCore

/// A stored workflow definition as the API returns it: every definition field in
/// snake_case, plus `workflow_id` (equal to `id`) for clients that expect that name.
public struct WorkflowView: Codable, Sendable, Hashable {
    public var definition: WorkflowDefinition
    /// What the server noticed when it stored the definition but did not refuse it (a task
    /// naming a component nobody knows yet); only in the answer to a create or replace,
    /// omitted when empty.
    public var warnings: [HarmoniaError.Problem]

    public init(_ definition: WorkflowDefinition, warnings: [HarmoniaError.Problem] = []) {
        self.definition = definition
        self.warnings = warnings
    }

    /// Same as `definition.id`.
    public var workflowID: String { definition.id }

    private enum ExtraKeys: String, CodingKey {
        case workflowID = "workflow_id"
        case warnings
    }

    public init(from decoder: any Decoder) throws {
        self.definition = try WorkflowDefinition(from: decoder)
        let extra = try decoder.container(keyedBy: ExtraKeys.self)
        self.warnings = try extra.decodeIfPresent([HarmoniaError.Problem].self, forKey: .warnings) ?? []
    }

    /// Encodes the definition's own keys and then `workflow_id` into the same object.
    public func encode(to encoder: any Encoder) throws {
        try definition.encode(to: encoder)
        var extra = encoder.container(keyedBy: ExtraKeys.self)
        try extra.encode(definition.id, forKey: .workflowID)
        if !warnings.isEmpty { try extra.encode(warnings, forKey: .warnings) }
    }
}

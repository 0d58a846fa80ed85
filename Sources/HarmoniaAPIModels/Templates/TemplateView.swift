import HarmoniaCore

/// A stored template as the API returns it: every template field in snake_case, plus
/// `template_id` (equal to `id`) for clients that expect that name.
public struct TemplateView: Codable, Sendable, Hashable {
    public var template: WorkflowTemplate

    public init(_ template: WorkflowTemplate) {
        self.template = template
    }

    /// Same as `template.id`.
    public var templateID: String { template.id }

    private enum ExtraKeys: String, CodingKey {
        case templateID = "template_id"
    }

    public init(from decoder: any Decoder) throws {
        self.template = try WorkflowTemplate(from: decoder)
    }

    /// Encodes the template's own keys and then `template_id` into the same object.
    public func encode(to encoder: any Encoder) throws {
        try template.encode(to: encoder)
        var extra = encoder.container(keyedBy: ExtraKeys.self)
        try extra.encode(template.id, forKey: .templateID)
    }
}

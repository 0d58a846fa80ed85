/// The data of `DELETE /templates/{id}`.
///
/// Deleting hides the template from lists and lookups; workflows made from it are untouched
/// and its versions stay readable by number.
public struct TemplateDeleted: Codable, Sendable, Hashable {
    public var templateID: String
    public var deleted: Bool

    public init(templateID: String, deleted: Bool = true) {
        self.templateID = templateID
        self.deleted = deleted
    }

    enum CodingKeys: String, CodingKey {
        case templateID = "template_id"
        case deleted
    }
}

/// A page of `GET /templates`: the newest version of each live template, most recently
/// updated first.
public struct TemplateList: Codable, Sendable, Hashable {
    public var templates: [TemplateView]
    /// Number of templates in this page.
    public var count: Int
    public var limit: Int
    public var offset: Int

    public init(templates: [TemplateView], limit: Int, offset: Int) {
        self.templates = templates
        self.count = templates.count
        self.limit = limit
        self.offset = offset
    }
}

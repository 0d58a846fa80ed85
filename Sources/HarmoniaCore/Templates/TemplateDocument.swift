import Foundation

/// The portable JSON form of a template, for `GET /templates/{id}/export` and
/// `POST /templates/import`: everything needed to recreate it on another server and nothing
/// tied to this one (no id, version or timestamps of its own).
///
/// `harmonia_template` marks the format and its version, so an importer can tell a template
/// document from any other JSON and refuse a future format instead of misreading it.
public struct TemplateDocument: Sendable, Hashable, Codable {
    /// The format version this build writes and reads.
    public static let currentFormat = 1
    /// The key that marks a template document.
    public static let markerKey = "harmonia_template"

    public var format: Int
    public var name: String
    public var description: String
    public var definition: JSONValue
    public var parameters: [String: TemplateParameter]
    public var tags: [String]
    public var metadata: [String: JSONValue]
    /// Where the document came from; informative only, ignored on import.
    public var exportedFrom: Origin?

    /// The template a document was exported from.
    public struct Origin: Sendable, Hashable, Codable {
        public var templateID: String
        public var templateVersion: Int
        public var exportedAt: Date

        public init(templateID: String, templateVersion: Int, exportedAt: Date) {
            self.templateID = templateID
            self.templateVersion = templateVersion
            self.exportedAt = exportedAt
        }

        enum CodingKeys: String, CodingKey {
            case templateID = "template_id"
            case templateVersion = "template_version"
            case exportedAt = "exported_at"
        }
    }

    public init(_ template: WorkflowTemplate, exportedAt: Date = Date()) {
        self.format = Self.currentFormat
        self.name = template.name
        self.description = template.description
        self.definition = template.definition
        self.parameters = template.parameters
        self.tags = template.tags
        self.metadata = template.metadata
        self.exportedFrom = Origin(templateID: template.id, templateVersion: template.version, exportedAt: exportedAt)
    }

    enum CodingKeys: String, CodingKey {
        case format = "harmonia_template"
        case name, description, definition, parameters, tags, metadata
        case exportedFrom = "exported_from"
    }

    /// Reads a document to import. Throws `invalid_template` when the marker is missing or
    /// names a format this build does not know, or when the document has no definition;
    /// otherwise whatever `TemplateDraft.decode` finds wrong.
    public static func draft(from value: JSONValue) throws -> TemplateDraft {
        guard let members = value.objectValue else {
            throw HarmoniaError(.invalidRequest, "a template document must be a JSON object, not \(value.typeName)")
        }
        guard let marker = members[markerKey] else {
            throw ProblemList.single(
                .invalidTemplate, "not a template document: '\(markerKey)' is missing (export one with GET /templates/{id}/export)",
                path: markerKey)
        }
        guard let format = marker.intValue, format >= 1 else {
            throw ProblemList.single(
                .invalidTemplate, "'\(markerKey)' must be a format version number, got \(marker.jsonString())", path: markerKey)
        }
        guard format <= currentFormat else {
            throw ProblemList.single(
                .invalidTemplate, "template format \(format) is newer than this server reads (\(currentFormat))",
                path: markerKey)
        }
        var body = members
        body.removeValue(forKey: markerKey)
        body.removeValue(forKey: "exported_from")
        let draft = try TemplateDraft.decode(.object(body))
        guard draft.definition != nil else {
            throw ProblemList.single(.invalidTemplate, "a template document needs a definition", path: "definition")
        }
        return draft
    }
}

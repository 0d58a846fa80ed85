import HarmoniaCore

/// The body of `POST /templates/{id}/instantiate`.
///
/// `parameter_values` (also `parameterValues`, `parameters` or `values`) maps parameter
/// names to values; `name` renames the new workflow; `template_version` instantiates an
/// older version instead of the newest.
public struct InstantiateTemplateRequest: Codable, Sendable, Hashable {
    public var parameterValues: [String: JSONValue]
    public var name: String?
    public var templateVersion: Int?

    public init(parameterValues: [String: JSONValue] = [:], name: String? = nil, templateVersion: Int? = nil) {
        self.parameterValues = parameterValues
        self.name = name
        self.templateVersion = templateVersion
    }

    /// Reads a request body leniently; `invalid_request` for mistyped fields.
    public init(json: JSONValue) throws {
        let fields = try LenientFields(json)
        var values: [String: JSONValue]?
        for key in ["parameter_values", "parameters", "values"] where values == nil {
            values = try fields.object(key)
        }
        let name = try fields.string("name")
        if let name, name.allSatisfy(\.isWhitespace) {
            throw HarmoniaError(.invalidRequest, "'name' must not be empty", path: "name")
        }
        self.init(parameterValues: values ?? [:], name: name, templateVersion: try fields.integer("template_version"))
    }

    public init(from decoder: any Decoder) throws {
        try self.init(json: JSONValue(from: decoder))
    }

    enum CodingKeys: String, CodingKey {
        case parameterValues = "parameter_values"
        case name
        case templateVersion = "template_version"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(parameterValues, forKey: .parameterValues)
        try container.encodeIfPresent(name, forKey: .name)
        try container.encodeIfPresent(templateVersion, forKey: .templateVersion)
    }
}

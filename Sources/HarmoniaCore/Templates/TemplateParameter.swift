/// One typed parameter of a workflow template: what values it accepts and what it defaults to.
///
/// The rules are a small, fixed vocabulary rather than free JSON Schema so that a person
/// filling in a template form, the CLI and the API all describe a parameter the same way.
/// Values are checked by the same schema checker as workflow inputs, so "must be at least"
/// means the same thing everywhere.
public struct TemplateParameter: Sendable, Hashable, Codable {
    public var type: ParameterType
    /// Whether instantiation must supply a value. A parameter with a `default` never needs
    /// one; an optional parameter without a default resolves to `null`.
    public var required: Bool
    /// Used when instantiation supplies no value (or `null`).
    public var defaultValue: JSONValue?
    /// When set, the value must equal one of these.
    public var allowedValues: [JSONValue]?
    /// Bounds for `number` and `integer` parameters, inclusive.
    public var minimum: Double?
    public var maximum: Double?
    /// Characters of a `string`, items of an `array`.
    public var minLength: Int?
    public var maxLength: Int?
    /// A regular expression a `string` value must contain a match of (JSON Schema's
    /// unanchored semantics: write `^...$` to match the whole value).
    public var pattern: String?
    public var description: String

    public init(
        type: ParameterType, required: Bool = false, defaultValue: JSONValue? = nil,
        allowedValues: [JSONValue]? = nil, minimum: Double? = nil, maximum: Double? = nil,
        minLength: Int? = nil, maxLength: Int? = nil, pattern: String? = nil, description: String = ""
    ) {
        self.type = type
        self.required = required
        self.defaultValue = defaultValue
        self.allowedValues = allowedValues
        self.minimum = minimum
        self.maximum = maximum
        self.minLength = minLength
        self.maxLength = maxLength
        self.pattern = pattern
        self.description = description
    }

    enum CodingKeys: String, CodingKey {
        case type, required
        case defaultValue = "default"
        case allowedValues = "enum"
        case minimum, maximum
        case minLength = "min_length"
        case maxLength = "max_length"
        case pattern, description
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.type = try c.decode(ParameterType.self, forKey: .type)
        self.required = try c.decodeIfPresent(Bool.self, forKey: .required) ?? false
        self.defaultValue = try c.decodeIfPresent(JSONValue.self, forKey: .defaultValue)
        self.allowedValues = try c.decodeIfPresent([JSONValue].self, forKey: .allowedValues)
        self.minimum = try c.decodeIfPresent(Double.self, forKey: .minimum)
        self.maximum = try c.decodeIfPresent(Double.self, forKey: .maximum)
        self.minLength = try c.decodeIfPresent(Int.self, forKey: .minLength)
        self.maxLength = try c.decodeIfPresent(Int.self, forKey: .maxLength)
        self.pattern = try c.decodeIfPresent(String.self, forKey: .pattern)
        self.description = try c.decodeIfPresent(String.self, forKey: .description) ?? ""
    }

    /// Writes only the rules that are set, so an exported template reads like a hand-written one.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(type, forKey: .type)
        try c.encode(required, forKey: .required)
        try c.encodeIfPresent(defaultValue, forKey: .defaultValue)
        try c.encodeIfPresent(allowedValues, forKey: .allowedValues)
        try c.encodeIfPresent(minimum.map(Self.number), forKey: .minimum)
        try c.encodeIfPresent(maximum.map(Self.number), forKey: .maximum)
        try c.encodeIfPresent(minLength, forKey: .minLength)
        try c.encodeIfPresent(maxLength, forKey: .maxLength)
        try c.encodeIfPresent(pattern, forKey: .pattern)
        if !description.isEmpty { try c.encode(description, forKey: .description) }
    }
}

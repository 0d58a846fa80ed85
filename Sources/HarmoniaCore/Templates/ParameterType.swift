/// The JSON type a template parameter's value must have.
public enum ParameterType: String, Sendable, Hashable, Codable, CaseIterable {
    case string, number, integer, boolean, array, object

    /// The type named `name`, also accepting the Python spellings Tekton definitions use
    /// (`int`, `float`, `bool`, `str`, `dict`, `list`); nil for anything else.
    public init?(named name: String) {
        guard let canonical = InputValidator.typeName(name), let type = ParameterType(rawValue: canonical) else {
            return nil
        }
        self = type
    }

    /// Whether `min_length`/`max_length` apply: characters of a string, items of an array.
    var hasLength: Bool { self == .string || self == .array }
    /// Whether `minimum`/`maximum` apply.
    var isNumeric: Bool { self == .number || self == .integer }
}

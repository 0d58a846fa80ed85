/// Checks an execution's input against its workflow's `input_schema` before anything runs,
/// so a bad input is a 400 naming every wrong field instead of a task failing halfway.
///
/// The schema language is the useful subset of JSON Schema: `type` (one or a list; integer
/// is a kind of number), `properties`, `required`, `additionalProperties`, `items`,
/// `minItems`/`maxItems`, `enum`, `const`, `minimum`/`maximum` (and the exclusive forms),
/// `minLength`/`maxLength` and `pattern`. `default` and unknown keywords are ignored.
/// Tekton's shorthand is accepted as well: a plain map of property name to
/// `{"type", "required": true, "default"}` with no `type`/`properties` at the top.
public enum InputValidator {
    /// Throws `invalid_input` listing every mismatch, with paths such as `input.items[2]`.
    public static func validate(_ input: JSONValue, against schema: JSONValue?) throws {
        guard case .object = input else {
            throw ProblemList.single(.invalidInput, "input must be a JSON object, got \(input.typeName)", path: "input")
        }
        guard let schema else { return }
        var problems = ProblemList()
        var checker = SchemaChecker()
        checker.check(input, against: normalized(schema), path: "input", problems: &problems)
        try problems.throwIfAny()
    }

    /// Problems in a schema itself (unknown type names, malformed keywords, patterns that do
    /// not compile), found when the workflow is created rather than when it first runs.
    public static func schemaProblems(_ schema: JSONValue, path: String) -> [HarmoniaError.Problem] {
        var problems = ProblemList()
        SchemaLint.check(normalized(schema), path: path, problems: &problems)
        return problems.error?.problems ?? []
    }

    /// The schema with Tekton's shorthand rewritten as a JSON Schema object.
    ///
    /// Shorthand is recognised when the top level has neither `type` nor `properties` and
    /// every member is an object with a `type`; `required: true` on a property then makes it
    /// required. (The same per-property `required: true`, JSON Schema draft 3's spelling, is
    /// honoured inside ordinary schemas too.)
    static func normalized(_ schema: JSONValue) -> JSONValue {
        guard let members = schema.objectValue, !members.isEmpty,
            members["type"] == nil, members["properties"] == nil,
            members.values.allSatisfy({ $0.objectValue?["type"] != nil })
        else { return schema }
        return .object(["type": "object", "properties": schema])
    }

    /// The JSON Schema type named by `name`, also accepting the Python spellings Tekton
    /// definitions use (`int`, `float`, `bool`, `str`, `dict`, `list`).
    static func typeName(_ name: String) -> String? {
        switch name.lowercased() {
        case "string", "str", "text": return "string"
        case "integer", "int": return "integer"
        case "number", "float", "double": return "number"
        case "boolean", "bool": return "boolean"
        case "object", "dict", "map": return "object"
        case "array", "list": return "array"
        case "null", "none": return "null"
        default: return nil
        }
    }

    /// Whether `value` is of the JSON Schema type `type` (already canonical).
    static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("string", .string), ("boolean", .bool), ("object", .object), ("array", .array), ("null", .null):
            return true
        case ("number", .integer), ("number", .double), ("integer", .integer):
            return true
        case ("integer", .double(let d)):
            return d.isFinite && d.rounded() == d
        default:
            return false
        }
    }

    /// JSON equality where `1` and `1.0` are the same number, as JSON Schema defines it.
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.integer, .double), (.double, .integer): return a.doubleValue == b.doubleValue
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy(equal)
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { equal(value, $0) } ?? false }
        default: return a == b
        }
    }
}

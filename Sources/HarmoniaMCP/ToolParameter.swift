import HarmoniaCore

/// One argument of a tool: its JSON Schema and the check the server makes before calling
/// the REST API, so a bad argument comes back as a tool error that names the field
/// (`path`) instead of a confusing answer from a route that never saw the field's name.
public struct ToolParameter: Sendable {
    /// What the argument must be. The schema a client sees and the check made here come
    /// from the same case, so the two cannot disagree.
    public enum Kind: Sendable {
        case string(minLength: Int = 0, enumeration: [String]? = nil)
        case integer(minimum: Int? = nil, maximum: Int? = nil)
        case number(exclusiveMinimum: Double? = nil, maximum: Double? = nil)
        case boolean
        case object
        case stringArray
        /// Any value matching `schema`; checked by the REST API, not here.
        case schema(JSONValue)
    }

    public let name: String
    public let kind: Kind
    public let required: Bool
    public let description: String
    public let defaultValue: JSONValue?

    public init(_ name: String, _ kind: Kind, required: Bool = false, default defaultValue: JSONValue? = nil, _ description: String) {
        self.name = name
        self.kind = kind
        self.required = required
        self.description = description
        self.defaultValue = defaultValue
    }

    /// The argument's JSON Schema (draft 2020-12).
    public var schema: JSONValue {
        var schema: [String: JSONValue]
        switch kind {
        case .string(let minLength, let enumeration):
            schema = ["type": "string"]
            if minLength > 0 { schema["minLength"] = .integer(minLength) }
            if let enumeration { schema["enum"] = .array(enumeration.map { .string($0) }) }
        case .integer(let minimum, let maximum):
            schema = ["type": "integer"]
            if let minimum { schema["minimum"] = .integer(minimum) }
            if let maximum { schema["maximum"] = .integer(maximum) }
        case .number(let exclusiveMinimum, let maximum):
            schema = ["type": "number"]
            if let exclusiveMinimum { schema["exclusiveMinimum"] = .double(exclusiveMinimum) }
            if let maximum { schema["maximum"] = .double(maximum) }
        case .boolean:
            schema = ["type": "boolean"]
        case .object:
            schema = ["type": "object"]
        case .stringArray:
            schema = ["type": "array", "items": ["type": "string"]]
        case .schema(let given):
            schema = given.objectValue ?? [:]
        }
        schema["description"] = .string(description)
        if let defaultValue { schema["default"] = defaultValue }
        return .object(schema)
    }

    /// Checks one present argument; the failure names it.
    func check(_ value: JSONValue) throws(ToolFailure) {
        func fail(_ expected: String) -> ToolFailure {
            ToolFailure.argument(name, "must be \(expected), got \(value.typeName)")
        }
        switch kind {
        case .string(let minLength, let enumeration):
            guard let text = value.stringValue else { throw fail("a string") }
            if text.count < minLength || (minLength > 0 && text.allSatisfy(\.isWhitespace)) {
                throw ToolFailure.argument(name, "must not be empty")
            }
            if let enumeration, !enumeration.contains(text) {
                throw ToolFailure.argument(name, "must be one of \(enumeration.joined(separator: ", ")), got '\(text)'")
            }
        case .integer(let minimum, let maximum):
            guard case .integer(let number) = value else {
                if let number = value.intValue, case .double = value { return try checkRange(number, minimum, maximum) }
                throw fail("an integer")
            }
            try checkRange(number, minimum, maximum)
        case .number(let exclusiveMinimum, let maximum):
            guard let number = value.doubleValue else { throw fail("a number") }
            if let exclusiveMinimum, number <= exclusiveMinimum {
                throw ToolFailure.argument(name, "must be greater than \(exclusiveMinimum), got \(number)")
            }
            if let maximum, number > maximum {
                throw ToolFailure.argument(name, "must be at most \(maximum), got \(number)")
            }
        case .boolean:
            guard value.boolValue != nil else { throw fail("a boolean") }
        case .object:
            guard value.objectValue != nil else { throw fail("an object") }
        case .stringArray:
            guard let items = value.arrayValue else { throw fail("an array of strings") }
            for (index, item) in items.enumerated() where item.stringValue == nil {
                throw ToolFailure.argument("\(name)[\(index)]", "must be a string, got \(item.typeName)")
            }
        case .schema:
            return
        }
    }

    private func checkRange(_ number: Int, _ minimum: Int?, _ maximum: Int?) throws(ToolFailure) {
        if let minimum, number < minimum { throw ToolFailure.argument(name, "must be at least \(minimum), got \(number)") }
        if let maximum, number > maximum { throw ToolFailure.argument(name, "must be at most \(maximum), got \(number)") }
    }
}

import Foundation

/// Checks an action's input against the JSON Schema its manifest publishes, so the schema
/// an operator reads and the input the adapter accepts cannot drift apart.
///
/// Adapters link HarmoniaPluginKit alone (never the server's modules), so this is the
/// subset of JSON Schema their manifests use: `type` (one or a list; an integer is a
/// number), `properties`, `required`, `additionalProperties` (`false` or a schema for the other members), `items`,
/// `minItems`, `enum`, `minimum`/`maximum`/`exclusiveMinimum`, `minLength`/`maxLength`,
/// `pattern`, `anyOf` and `oneOf` (read as "at least one matches"). Other keywords
/// (`description`, `format`, `default`) are documentation only.
public enum InputSchemaCheck {
    /// Every mismatch of `value` with `schema`, each naming its place (`input.plan.steps[0].type`).
    public static func problems(_ value: PluginJSON, against schema: PluginJSON, path: String = "input") -> [String] {
        var problems: [String] = []
        check(value, schema, path, &problems)
        return problems
    }

    private static func check(_ value: PluginJSON, _ schema: PluginJSON, _ path: String, _ problems: inout [String]) {
        guard let rules = schema.objectValue else { return }
        if let types = rules["type"].map(typeNames), !types.isEmpty, !types.contains(where: { matches(value, $0) }) {
            problems.append("\(path) must be \(types.joined(separator: " or ")), not \(typeName(of: value))")
            return
        }
        for key in ["anyOf", "oneOf"] {
            if let options = rules[key]?.arrayValue, !options.isEmpty {
                let fits = options.contains { problemsOf(value, $0, path).isEmpty }
                if !fits {
                    // The first option's complaint names what is expected.
                    problems.append(contentsOf: problemsOf(value, options[0], path).prefix(1))
                }
            }
        }
        if let allowed = rules["enum"]?.arrayValue, !allowed.contains(value) {
            problems.append("\(path) must be one of \(allowed.map { $0.jsonString() }.joined(separator: ", "))")
        }
        switch value {
        case .object(let members): checkObject(members, rules, path, &problems)
        case .array(let items):
            if let minimum = rules["minItems"]?.intValue, items.count < minimum {
                problems.append("\(path) needs at least \(minimum) item\(minimum == 1 ? "" : "s")")
            }
            if let itemSchema = rules["items"] {
                for (index, item) in items.enumerated() { check(item, itemSchema, "\(path)[\(index)]", &problems) }
            }
        case .string(let text):
            if let minimum = rules["minLength"]?.intValue, text.count < minimum {
                problems.append(minimum == 1 ? "\(path) must not be empty" : "\(path) must have at least \(minimum) characters")
            }
            if let maximum = rules["maxLength"]?.intValue, text.count > maximum {
                problems.append("\(path) must have at most \(maximum) characters")
            }
            if let pattern = rules["pattern"]?.stringValue, text.range(of: pattern, options: .regularExpression) == nil {
                problems.append("\(path) must match \(pattern)")
            }
        case .integer, .double:
            let number = value.doubleValue ?? 0
            if let minimum = rules["minimum"]?.doubleValue, number < minimum { problems.append("\(path) must be at least \(format(minimum))") }
            if let maximum = rules["maximum"]?.doubleValue, number > maximum { problems.append("\(path) must be at most \(format(maximum))") }
            if let bound = rules["exclusiveMinimum"]?.doubleValue, number <= bound {
                problems.append("\(path) must be greater than \(format(bound))")
            }
        default: break
        }
    }

    private static func checkObject(_ members: [String: PluginJSON], _ rules: [String: PluginJSON], _ path: String, _ problems: inout [String]) {
        let properties = rules["properties"]?.objectValue ?? [:]
        for name in rules["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil || members[name] == .null {
            problems.append("\(path).\(name) is required")
        }
        for (name, member) in members.sorted(by: { $0.key < $1.key }) {
            if let propertySchema = properties[name] {
                // A null member counts as absent (`required` above says when that is wrong).
                if member != .null { check(member, propertySchema, "\(path).\(name)", &problems) }
            } else if rules["additionalProperties"] == .bool(false) {
                problems.append("\(path).\(name) is not accepted (known: \(properties.keys.sorted().joined(separator: ", ")))")
            } else if let memberSchema = rules["additionalProperties"], memberSchema.objectValue != nil, member != .null {
                check(member, memberSchema, "\(path).\(name)", &problems)
            }
        }
    }

    private static func problemsOf(_ value: PluginJSON, _ schema: PluginJSON, _ path: String) -> [String] {
        var problems: [String] = []
        check(value, schema, path, &problems)
        return problems
    }

    private static func typeNames(_ type: PluginJSON) -> [String] {
        type.stringValue.map { [$0] } ?? type.arrayValue?.compactMap(\.stringValue) ?? []
    }

    private static func matches(_ value: PluginJSON, _ type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null): return true
        case ("number", .integer), ("number", .double): return true
        case ("integer", _): return value.intValue != nil
        default: return false
        }
    }

    private static func typeName(of value: PluginJSON) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    private static func format(_ number: Double) -> String {
        number.rounded() == number ? String(Int(number)) : String(number)
    }
}

extension AdapterCall {
    /// Refuses an input that does not fit `schema` (the action's published input schema) with
    /// one `invalid_input` listing every problem, before any request leaves the adapter.
    public func validateInput(against schema: PluginJSON) throws {
        let problems = InputSchemaCheck.problems(input, against: schema)
        guard problems.isEmpty else {
            throw AdapterError.invalidInput("\(component).\(action): " + problems.joined(separator: "; "))
        }
    }
}

import Foundation

/// Finds mistakes in an input schema itself, so they surface as `invalid_definition` when
/// the workflow is created instead of as puzzling input errors on every execution.
///
/// It checks only the keywords `SchemaChecker` uses; anything else is left alone, since
/// schemas often carry documentation keywords (`description`, `title`, `examples`).
enum SchemaLint {
    static func check(_ schema: JSONValue, path: String, problems: inout ProblemList) {
        guard let s = schema.objectValue else {
            if case .bool = schema { return }
            problems.add(.invalidDefinition, "\(path) must be a schema object, got \(schema.typeName)", path: path)
            return
        }
        checkType(s["type"], path: JSONPath.appending(path, key: "type"), problems: &problems)
        if let properties = s["properties"] {
            let propertiesPath = JSONPath.appending(path, key: "properties")
            if let members = properties.objectValue {
                for name in members.keys.sorted() {
                    check(members[name]!, path: JSONPath.appending(propertiesPath, key: name), problems: &problems)
                }
            } else {
                fail(propertiesPath, "an object of property schemas", properties, &problems)
            }
        }
        if let required = s["required"] {
            let requiredPath = JSONPath.appending(path, key: "required")
            let isList = required.arrayValue?.allSatisfy { $0.stringValue != nil } ?? false
            if !isList, required.boolValue == nil {
                fail(requiredPath, "an array of property names", required, &problems)
            }
        }
        for key in ["items", "additionalProperties"] {
            if let sub = s[key] { check(sub, path: JSONPath.appending(path, key: key), problems: &problems) }
        }
        for key in ["minLength", "maxLength", "minItems", "maxItems"] {
            if let bound = s[key], (bound.intValue ?? -1) < 0 {
                fail(JSONPath.appending(path, key: key), "a non-negative integer", bound, &problems)
            }
        }
        for key in ["minimum", "maximum"] {
            if let bound = s[key], bound.doubleValue == nil {
                fail(JSONPath.appending(path, key: key), "a number", bound, &problems)
            }
        }
        if let options = s["enum"], options.arrayValue == nil {
            fail(JSONPath.appending(path, key: "enum"), "an array", options, &problems)
        }
        if let pattern = s["pattern"] {
            let patternPath = JSONPath.appending(path, key: "pattern")
            if let text = pattern.stringValue {
                if (try? NSRegularExpression(pattern: text)) == nil {
                    let message = "\(patternPath) is not a valid regular expression: '\(text)'"
                    problems.add(.invalidDefinition, message, path: patternPath)
                }
            } else {
                fail(patternPath, "a string", pattern, &problems)
            }
        }
    }

    private static func checkType(_ keyword: JSONValue?, path: String, problems: inout ProblemList) {
        guard let keyword else { return }
        let names: [JSONValue]
        switch keyword {
        case .string: names = [keyword]
        case .array(let list) where !list.isEmpty: names = list
        default:
            fail(path, "a type name or an array of type names", keyword, &problems)
            return
        }
        for name in names where name.stringValue.flatMap(InputValidator.typeName) == nil {
            let message = "\(path) names unknown type \(name.jsonString()); use string, integer, number, boolean, object, array or null"
            problems.add(.invalidDefinition, message, path: path)
        }
    }

    private static func fail(_ path: String, _ expected: String, _ got: JSONValue, _ problems: inout ProblemList) {
        problems.add(.invalidDefinition, "\(path) must be \(expected), got \(got.typeName)", path: path)
    }
}

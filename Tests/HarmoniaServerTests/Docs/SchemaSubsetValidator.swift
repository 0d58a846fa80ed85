import Foundation
import HarmoniaCore

/// A JSON Schema (draft 2020-12) validator for exactly the keywords the served workflow
/// schema uses, so its test needs no new dependency.
///
/// It refuses a schema that uses any other keyword (`unknownKeywords`), so the schema
/// cannot grow a keyword this validator would silently ignore; the test checks that first.
struct SchemaSubsetValidator {
    /// Keywords that constrain a value, all of them implemented below.
    static let assertions: Set<String> = [
        "type", "properties", "required", "additionalProperties", "items", "minItems", "maxItems",
        "minProperties", "maxProperties", "enum", "const", "minimum", "maximum", "exclusiveMinimum",
        "minLength", "pattern", "anyOf", "allOf", "$ref",
    ]
    /// Keywords that only annotate.
    static let annotations: Set<String> = ["$schema", "$defs", "title", "description", "default"]

    let root: JSONValue

    /// Keywords in the schema that are neither implemented nor annotations, with their paths.
    func unknownKeywords() -> [String] {
        var found: [String] = []
        func walk(_ schema: JSONValue, _ path: String) {
            guard let members = schema.objectValue else { return }
            for (key, value) in members {
                let here = "\(path)/\(key)"
                if !Self.assertions.contains(key), !Self.annotations.contains(key) { found.append(here) }
                switch key {
                case "properties", "$defs":
                    for (name, sub) in value.objectValue ?? [:] { walk(sub, "\(here)/\(name)") }
                case "items", "additionalProperties":
                    walk(value, here)
                case "anyOf", "allOf":
                    for (i, sub) in (value.arrayValue ?? []).enumerated() { walk(sub, "\(here)/\(i)") }
                default:
                    break
                }
            }
        }
        walk(root, "#")
        return found.sorted()
    }

    /// Every error for `value`, as `path: reason`; empty when it is valid.
    func errors(_ value: JSONValue) -> [String] {
        var errors: [String] = []
        check(value, root, path: "", errors: &errors)
        return errors
    }

    private func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var current: JSONValue? = root
        for part in reference.dropFirst(2).split(separator: "/") { current = current?.objectValue?[String(part)] }
        return current
    }

    private func check(_ value: JSONValue, _ schema: JSONValue, path: String, errors: inout [String]) {
        if case .bool(let allowed) = schema {
            if !allowed { errors.append("\(path): not allowed") }
            return
        }
        guard let s = schema.objectValue else { return }
        func fail(_ reason: String) { errors.append("\(path.isEmpty ? "/" : path): \(reason)") }

        if let reference = s["$ref"]?.stringValue {
            if let target = resolve(reference) { check(value, target, path: path, errors: &errors) } else { fail("bad $ref \(reference)") }
        }
        if let type = s["type"] {
            let names = type.arrayValue?.compactMap(\.stringValue) ?? [type.stringValue ?? ""]
            if !names.contains(where: { Self.matches(value, $0) }) { fail("not \(names.joined(separator: " or "))") }
        }
        if let options = s["enum"]?.arrayValue, !options.contains(where: { $0.sameJSON(as: value) }) { fail("not in enum") }
        if let constant = s["const"], !constant.sameJSON(as: value) { fail("not \(constant.jsonString())") }
        if let number = value.doubleValue, value.boolValue == nil {
            if let m = s["minimum"]?.doubleValue, number < m { fail("less than \(m)") }
            if let m = s["maximum"]?.doubleValue, number > m { fail("more than \(m)") }
            if let m = s["exclusiveMinimum"]?.doubleValue, number <= m { fail("not more than \(m)") }
        }
        if let text = value.stringValue {
            if let m = s["minLength"]?.intValue, text.unicodeScalars.count < m { fail("shorter than \(m)") }
            if let pattern = s["pattern"]?.stringValue {
                let regex = try? NSRegularExpression(pattern: pattern)
                if regex?.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil { fail("does not match \(pattern)") }
            }
        }
        if let elements = value.arrayValue {
            if let m = s["minItems"]?.intValue, elements.count < m { fail("fewer than \(m) items") }
            if let m = s["maxItems"]?.intValue, elements.count > m { fail("more than \(m) items") }
            if let items = s["items"] {
                for (i, element) in elements.enumerated() { check(element, items, path: "\(path)/\(i)", errors: &errors) }
            }
        }
        if let members = value.objectValue {
            if let m = s["minProperties"]?.intValue, members.count < m { fail("fewer than \(m) members") }
            if let m = s["maxProperties"]?.intValue, members.count > m { fail("more than \(m) members") }
            for name in s["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil {
                fail("\(name) is required")
            }
            let properties = s["properties"]?.objectValue ?? [:]
            for (name, member) in members {
                if let property = properties[name] {
                    check(member, property, path: "\(path)/\(name)", errors: &errors)
                } else if let additional = s["additionalProperties"] {
                    check(member, additional, path: "\(path)/\(name)", errors: &errors)
                }
            }
        }
        if let all = s["allOf"]?.arrayValue {
            for sub in all { check(value, sub, path: path, errors: &errors) }
        }
        if let any = s["anyOf"]?.arrayValue {
            // When no branch matches, report the errors of the nearest one: of the right
            // type, then with the fewest errors; the branch the author most likely meant.
            var nearest: (rank: Int, errors: [String])?
            for sub in any {
                var sink: [String] = []
                check(value, sub, path: path, errors: &sink)
                if sink.isEmpty {
                    nearest = nil
                    break
                }
                let types = sub.objectValue?["type"].map { $0.arrayValue?.compactMap(\.stringValue) ?? [$0.stringValue ?? ""] }
                let typeFits = types.map { $0.contains { Self.matches(value, $0) } } ?? true
                let rank = (typeFits ? 0 : 1_000_000) + sink.count
                if nearest == nil || rank < nearest!.rank { nearest = (rank, sink) }
            }
            if let nearest { errors += nearest.errors }
        }
    }

    /// JSON Schema's types; an integer is any number with no fractional part.
    static func matches(_ value: JSONValue, _ type: String) -> Bool {
        switch (type, value) {
        case ("string", .string), ("boolean", .bool), ("object", .object), ("array", .array), ("null", .null),
            ("number", .integer), ("number", .double), ("integer", .integer):
            return true
        case ("integer", .double(let d)):
            return d.rounded() == d
        default:
            return false
        }
    }
}

import Foundation

/// Walking a whole definition: which parameters it uses, and the definition with values in.
extension ParameterPlaceholders {
    /// One placeholder found in a definition, with the JSON path of the string holding it.
    struct Reference: Sendable, Hashable {
        var name: String
        var path: String
    }

    /// Every placeholder in `value` (strings and object keys, at any depth), in document
    /// order with keys sorted, and the malformed ones with their paths.
    static func references(in value: JSONValue, path: String) -> (found: [Reference], malformed: [Reference]) {
        var found: [Reference] = []
        var malformed: [Reference] = []
        func visit(_ value: JSONValue, _ path: String) {
            switch value {
            case .string(let s):
                guard let scan = scan(s) else { return }
                found += scan.names.map { Reference(name: $0, path: path) }
                malformed += scan.malformed.map { Reference(name: $0, path: path) }
            case .array(let elements):
                for (index, element) in elements.enumerated() { visit(element, JSONPath.appending(path, index: index)) }
            case .object(let members):
                for key in members.keys.sorted() {
                    let memberPath = JSONPath.appending(path, key: key)
                    if let scan = scan(key) {
                        found += scan.names.map { Reference(name: $0, path: memberPath) }
                        malformed += scan.malformed.map { Reference(name: $0, path: memberPath) }
                    }
                    visit(members[key]!, memberPath)
                }
            default:
                break
            }
        }
        visit(value, path)
        return (found, malformed)
    }

    /// `value` with every placeholder replaced by its parameter's value.
    ///
    /// A string that is exactly one placeholder becomes the value itself, with its JSON type
    /// (`"${params.retries}"` → `3`); placeholders inside longer strings, and in object keys,
    /// are spliced as text (strings as they are, anything else as compact JSON). Values are
    /// data, never code: a `${` inside a value is escaped to `$${`, so the expression engine
    /// shows it literally instead of evaluating something a caller typed. Two keys of one
    /// object that become equal are reported, since one would silently replace the other.
    static func substitute(
        _ value: JSONValue, values: [String: JSONValue], path: String, problems: inout ProblemList
    ) -> JSONValue {
        switch value {
        case .string(let s):
            guard let scan = scan(s) else { return value }
            if let name = scan.wholeName, let replacement = values[name] { return escaped(replacement) }
            return .string(splice(scan, values: values, escaping: true))
        case .array(let elements):
            return .array(elements.enumerated().map { index, element in
                substitute(element, values: values, path: JSONPath.appending(path, index: index), problems: &problems)
            })
        case .object(let members):
            var out: [String: JSONValue] = [:]
            out.reserveCapacity(members.count)
            for key in members.keys.sorted() {
                let memberPath = JSONPath.appending(path, key: key)
                // Keys are never evaluated as expressions, so they need no escaping.
                let newKey = scan(key).map { splice($0, values: values, escaping: false) } ?? key
                if out[newKey] != nil {
                    problems.add(
                        .invalidParameters, "\(memberPath) becomes the key '\(newKey)', which the object already has",
                        path: memberPath)
                }
                out[newKey] = substitute(members[key]!, values: values, path: memberPath, problems: &problems)
            }
            return .object(out)
        default:
            return value
        }
    }

    /// The scanned string with placeholders spliced in as text. A placeholder whose value is
    /// unknown (which validation prevents) is kept as written.
    private static func splice(_ scan: Scan, values: [String: JSONValue], escaping: Bool) -> String {
        var out = ""
        for piece in scan.pieces {
            switch piece {
            case .text(let text):
                out += text
            case .parameter(let name):
                guard let value = values[name] else {
                    out += "${params.\(name)}"
                    continue
                }
                switch escaping ? escaped(value) : value {
                case .string(let s): out += s
                case let other: out += other.jsonString()
                }
            }
        }
        return out
    }

    /// `value` with `${` in every string written as the escape `$${`. Keys stay as they are:
    /// the engine evaluates strings, never keys.
    static func escaped(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s):
            return s.contains("${") ? .string(s.replacingOccurrences(of: "${", with: "$${")) : value
        case .array(let elements):
            return .array(elements.map(escaped))
        case .object(let members):
            return .object(members.mapValues(escaped))
        default:
            return value
        }
    }
}

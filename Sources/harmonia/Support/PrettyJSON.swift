import HarmoniaClient

/// Indented JSON text for people: two spaces per level, keys sorted, empty containers on
/// one line.
enum PrettyJSON {
    static func render(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: "", into: &out)
        return out
    }

    private static func write(_ value: JSONValue, indent: String, into out: inout String) {
        let inner = indent + "  "
        switch value {
        case .array(let elements) where !elements.isEmpty:
            out += "[\n"
            for (i, element) in elements.enumerated() {
                out += inner
                write(element, indent: inner, into: &out)
                out += i < elements.count - 1 ? ",\n" : "\n"
            }
            out += indent + "]"
        case .object(let members) where !members.isEmpty:
            out += "{\n"
            let keys = members.keys.sorted()
            for (i, key) in keys.enumerated() {
                out += inner + JSONValue.string(key).jsonString() + ": "
                write(members[key]!, indent: inner, into: &out)
                out += i < keys.count - 1 ? ",\n" : "\n"
            }
            out += indent + "}"
        default:
            out += value.jsonString()
        }
    }
}

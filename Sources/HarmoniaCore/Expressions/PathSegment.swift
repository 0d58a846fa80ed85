/// One step of a path into a JSON value: an object member or an array element.
///
/// Expressions (`${input.items[0].name}`) and error locations (`tasks.b.input.url`) are both
/// paths, so they share this vocabulary.
public enum PathSegment: Sendable, Hashable {
    /// An object member, written `.name` or `["name with spaces"]`.
    case key(String)
    /// An array element, written `[0]`.
    case index(Int)
}

extension PathSegment {
    /// The segment as it is written after a preceding path: `.name`, `["a b"]` or `[3]`.
    var pathText: String {
        switch self {
        case .index(let i): return "[\(i)]"
        case .key(let k):
            if Self.isPlainKey(k) { return "." + k }
            var out = "[\""
            for c in k.unicodeScalars {
                if c == "\"" || c == "\\" { out.unicodeScalars.append("\\") }
                out.unicodeScalars.append(c)
            }
            return out + "\"]"
        }
    }

    /// Renders `base` followed by `segments`, as in `tasks.fetch.output.items[3]`.
    static func render(_ base: String, _ segments: some Sequence<PathSegment>) -> String {
        var out = base
        for segment in segments { out += segment.pathText }
        return out
    }

    /// Joins a location inside a value (`.url`, `[0].x`) onto the path of the value itself.
    static func join(_ base: String, _ suffix: String) -> String {
        if base.isEmpty, suffix.utf8.first == UInt8(ascii: ".") { return String(suffix.dropFirst()) }
        return base + suffix
    }

    /// True when the key can be written after a dot: letters, digits, `_`, `-` or non-ASCII.
    static func isPlainKey(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.allSatisfy(ExpressionParser.isNameByte)
    }
}

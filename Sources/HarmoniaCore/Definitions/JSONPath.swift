/// Builds the JSON paths that name offending values in error messages: `tasks.fetch.input`,
/// `tasks[2].depends_on[0]`, `input.items[2]`.
///
/// A key that is not a plain identifier (it holds a dot, a space, a bracket...) is written
/// in brackets and quotes, `tasks["a.b"].input`, so every path reads back unambiguously.
enum JSONPath {
    /// `base` followed by the member `key`.
    static func appending(_ base: String, key: String) -> String {
        if isPlain(key) {
            return base.isEmpty ? key : "\(base).\(key)"
        }
        return "\(base)[\(quoted(key))]"
    }

    /// `base` followed by the array element `index`.
    static func appending(_ base: String, index: Int) -> String {
        "\(base)[\(index)]"
    }

    private static func isPlain(_ key: String) -> Bool {
        guard !key.isEmpty else { return false }
        return key.utf8.allSatisfy { b in
            (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: "_")
                || b == UInt8(ascii: "-")
        }
    }

    private static func quoted(_ key: String) -> String {
        JSONValue.string(key).jsonString()
    }
}

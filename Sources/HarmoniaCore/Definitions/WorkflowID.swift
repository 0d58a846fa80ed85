/// The rule for ids a client chooses (a workflow's `id`): what can be put in a URL path
/// segment and read back.
///
/// Ids such as `a/b/c`, `../x` or `"  "` used to be accepted and could then never be read,
/// replaced or deleted, since no path segment names them. Generated ids are lowercase UUIDs,
/// which satisfy the rule.
public enum WorkflowID {
    /// Longest id accepted, in bytes.
    public static let maxLength = 128

    /// The rule in words, for error messages.
    public static let requirement =
        "1 to \(maxLength) characters of letters, digits, '-', '_', '.' and ':', starting with a letter or digit"

    /// Whether `id` follows the rule.
    public static func isValid(_ id: String) -> Bool {
        let bytes = id.utf8
        guard let first = bytes.first, bytes.count <= maxLength, isAlphanumeric(first) else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
            || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ":")
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}

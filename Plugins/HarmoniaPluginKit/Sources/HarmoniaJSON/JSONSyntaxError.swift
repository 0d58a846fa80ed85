/// Why bytes are not JSON: the position (line and column, 1-based, and the path of the
/// value being read) and what is wrong there.
public struct JSONSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based line of the offending byte.
    public var line: Int
    /// 1-based column (in bytes) of the offending byte.
    public var column: Int
    /// Where in the document, e.g. `tasks.fetch.input[2]`; empty for the top level.
    public var path: String
    /// What is wrong, e.g. `duplicate key "id"`.
    public var reason: String

    public init(line: Int, column: Int, path: String, reason: String) {
        self.line = line
        self.column = column
        self.path = path
        self.reason = reason
    }

    /// `malformed JSON at line 3, column 9 (at tasks.a.input): duplicate key "x"`.
    public var description: String {
        let at = path.isEmpty ? "" : " (at \(path))"
        return "malformed JSON at line \(line), column \(column)\(at): \(reason)"
    }
}

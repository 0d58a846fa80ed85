/// A parsed `${...}` reference (or a bare path in a condition).
///
/// Validation uses references to check roots and task ids at create time; the scheduler uses
/// `taskID` to know which outputs a task needs. The reference is kept in its canonical form:
/// for `tasks`, `segments[0]` is the task id and an `output` right after it is dropped, so
/// `${tasks.a.output.x}` and `${tasks.a.x}` have the same segments.
public struct ExpressionReference: Sendable, Hashable {
    /// "input", "tasks", "workflow", "execution" or "env".
    public var root: String
    /// The path after the root; for `tasks`, the first is `.key(taskID)`.
    public var segments: [PathSegment]
    /// The original text, such as `${tasks.a.output.result}`, quoted in error messages.
    public var text: String

    /// Makes a reference as the parser would; `segments` should already be canonical.
    public init(root: String, segments: [PathSegment], text: String) {
        self.root = root
        self.segments = segments
        self.text = text
    }

    /// The referenced task's id when the root is `tasks`, otherwise nil.
    public var taskID: String? {
        guard root == "tasks", case .key(let id)? = segments.first else { return nil }
        return id
    }
}

extension ExpressionReference: CustomStringConvertible {
    /// The reference as written.
    public var description: String { text }
}

/// A task's `condition`, parsed once and evaluated at dispatch.
///
/// Accepts a string in a small language (`tasks.check.result == 'ok' and not input.dry_run`),
/// a boolean, or the dict form (`{"eq": ["${input.env}", "prod"]}`). Conditions are parsed,
/// never evaluated as code: the only things they can do are compare and test values.
public struct Condition: Sendable, Hashable {
    let node: ConditionNode

    /// Every path the condition reads, in order of appearance, for validation and for the
    /// scheduler to know which task outputs the condition needs.
    public let references: [ExpressionReference]

    init(node: ConditionNode) {
        self.node = node
        var references: [ExpressionReference] = []
        node.collectReferences(into: &references)
        self.references = references
    }

    /// Parses a condition given as a string, a bool, or the dict form.
    ///
    /// Errors are `malformed_expression` (or `unknown_expression_root`) with `path` set to
    /// `path`, extended into the dict form (`tasks.b.condition.and[1].eq`).
    public static func parse(_ value: JSONValue, path: String) throws -> Condition {
        Condition(node: try parseNode(value, path: path, depth: 0))
    }

    /// Whether the condition holds in `context`.
    ///
    /// Throws `expression_error` when a path does not resolve or values cannot be compared
    /// (ordering a string against a number, `in` on a number); `and`/`or` short-circuit, so a
    /// branch that is not needed is not resolved.
    public func evaluate(in context: ExpressionContext) throws -> Bool {
        try ConditionEvaluator(context: context).test(node)
    }

    static func parseNode(_ value: JSONValue, path: String, depth: Int) throws -> ConditionNode {
        switch value {
        case .bool: return .value(.literal(value))
        case .string(let text): return try ConditionParser.parse(text, path: path, depth: depth)
        case .object(let members): return try ConditionDictParser.parse(members, path: path, depth: depth)
        case .null, .integer, .double, .array:
            throw HarmoniaError(
                .malformedExpression,
                "a condition must be a string, a boolean or an object such as {\"eq\": [a, b]}, not "
                    + ExpressionContext.article(value),
                path: path.isEmpty ? nil : path)
        }
    }
}

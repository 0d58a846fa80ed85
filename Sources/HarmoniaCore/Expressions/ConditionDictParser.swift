/// Parses the dict form of a condition: `{"eq": [a, b]}`, `{"and": [...]}`, `{"exists": "input.x"}`.
///
/// Operands are values: a string with `${...}` is resolved (a whole-string reference keeps its
/// type), any other JSON stands for itself. Nested conditions may use any form, including the
/// string language.
enum ConditionDictParser {
    static let operators = "eq, ne, gt, gte, lt, lte, in, not_in, contains, and, or, not, exists"

    static func parse(_ members: [String: JSONValue], path: String, depth: Int) throws -> ConditionNode {
        guard depth < ExpressionParser.maxDepth else {
            throw malformed("the condition is nested deeper than \(ExpressionParser.maxDepth) levels", path)
        }
        guard members.count == 1, let (op, operand) = members.first else {
            if members.isEmpty { throw malformed("an empty object is not a condition; use one operator such as {\"eq\": [a, b]}", path) }
            let keys = members.keys.sorted().joined(separator: ", ")
            throw malformed("a condition object has exactly one operator, found \(members.count) (\(keys)); combine them with \"and\"", path)
        }
        let here = PathSegment.join(path, PathSegment.key(op).pathText)
        let comparison: ComparisonOperator
        switch op {
        case "eq": comparison = .equal
        case "ne": comparison = .notEqual
        case "gt": comparison = .greater
        case "gte": comparison = .greaterOrEqual
        case "lt": comparison = .less
        case "lte": comparison = .lessOrEqual
        case "in": comparison = .in
        case "not_in": comparison = .notIn
        case "contains": comparison = .contains
        case "and", "or":
            guard case .array(let items) = operand, !items.isEmpty else {
                throw malformed("\"\(op)\" takes a non-empty list of conditions, not \(describe(operand))", here)
            }
            var nodes: [ConditionNode] = []
            nodes.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                nodes.append(try Condition.parseNode(item, path: here + "[\(i)]", depth: depth + 1))
            }
            return op == "and" ? .and(nodes) : .or(nodes)
        case "not":
            if case .array(let items) = operand {
                guard items.count == 1 else {
                    throw malformed("\"not\" takes one condition, not a list of \(items.count)", here)
                }
                return .not(try Condition.parseNode(items[0], path: here + "[0]", depth: depth + 1))
            }
            return .not(try Condition.parseNode(operand, path: here, depth: depth + 1))
        case "exists":
            guard case .string(let text) = operand else {
                throw malformed("\"exists\" takes a path such as \"input.x\" or \"${input.x}\", not \(describe(operand))", here)
            }
            return .exists(try parsePath(text, path: here))
        default:
            throw malformed("unknown condition operator \"\(op)\"; expected one of \(operators)", here)
        }
        guard case .array(let operands) = operand, operands.count == 2 else {
            throw malformed("\"\(op)\" takes a list of two operands, as in {\"\(op)\": [a, b]}, not \(describe(operand))", here)
        }
        let first = try operandNode(operands[0], path: here + "[0]")
        let second = try operandNode(operands[1], path: here + "[1]")
        let text = JSONValue.object(members).jsonString()
        return .compare(comparison, first, second, text: text)
    }

    /// An operand value; errors inside it carry their location below `path`.
    private static func operandNode(_ value: JSONValue, path: String) throws -> ConditionNode {
        do {
            return .value(try ValueTemplate.compile(value))
        } catch var error as HarmoniaError {
            error.path = PathSegment.join(path, error.path ?? "")
            throw error
        }
    }

    /// `"input.x"` or `"${input.x}"`, and nothing else.
    private static func parsePath(_ text: String, path: String) throws -> ExpressionReference {
        var text = text
        return try text.withUTF8 { bytes in
            do throws(ExpressionSyntaxError) {
                guard !bytes.isEmpty else { throw ExpressionSyntaxError(at: 0, "expected a path") }
                let braced = bytes.count > 1 && bytes[0] == UInt8(ascii: "$") && bytes[1] == UInt8(ascii: "{")
                let (reference, end) =
                    braced ? try ExpressionParser.parseBraced(bytes, at: 0) : try ExpressionParser.parseBare(bytes, at: 0)
                guard end == bytes.count else {
                    throw ExpressionSyntaxError(at: end, "expected only a path, found more after it")
                }
                return reference
            } catch {
                throw error.harmoniaError(in: bytes, kind: "expression", path: path)
            }
        }
    }

    private static func malformed(_ message: String, _ path: String) -> HarmoniaError {
        HarmoniaError(.malformedExpression, message, path: path.isEmpty ? nil : path)
    }

    private static func describe(_ value: JSONValue) -> String {
        if case .array(let items) = value { return "a list of \(items.count)" }
        return ExpressionContext.article(value)
    }
}

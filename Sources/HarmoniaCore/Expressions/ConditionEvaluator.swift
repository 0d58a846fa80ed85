/// Evaluates a parsed condition against an expression context.
///
/// Pure: reads the context, touches nothing else. `and`/`or` short-circuit so that
/// `tasks.a.ok or tasks.b.ok` does not fail for the branch it does not need.
struct ConditionEvaluator {
    let context: ExpressionContext

    /// The node's truth value.
    func test(_ node: ConditionNode) throws -> Bool {
        switch node {
        case .not(let inner):
            return try !test(inner)
        case .and(let items):
            for item in items where try !test(item) { return false }
            return true
        case .or(let items):
            for item in items where try test(item) { return true }
            return false
        case .compare(let op, let left, let right, let text):
            return try compare(op, try value(left), try value(right), text: text)
        case .exists(let reference):
            do {
                _ = try context.value(of: reference)
                return true
            } catch let error as HarmoniaError where error.code == .expressionError {
                return false
            }
        case .value, .list:
            return JSONComparison.isTruthy(try value(node))
        }
    }

    /// The node's JSON value; boolean operators give `.bool`.
    func value(_ node: ConditionNode) throws -> JSONValue {
        switch node {
        case .value(let template): return try template.render(in: context)
        case .list(let items): return .array(try items.map { try value($0) })
        case .not, .and, .or, .compare, .exists: return .bool(try test(node))
        }
    }

    private func compare(_ op: ComparisonOperator, _ a: JSONValue, _ b: JSONValue, text: String) throws -> Bool {
        switch op {
        case .equal: return JSONComparison.equal(a, b)
        case .notEqual: return !JSONComparison.equal(a, b)
        case .less: return try order(op, a, b, text) < 0
        case .lessOrEqual: return try order(op, a, b, text) <= 0
        case .greater: return try order(op, a, b, text) > 0
        case .greaterOrEqual: return try order(op, a, b, text) >= 0
        case .in: return try contains(b, a, text)
        case .notIn: return try !contains(b, a, text)
        case .contains: return try contains(a, b, text)
        }
    }

    private func order(_ op: ComparisonOperator, _ a: JSONValue, _ b: JSONValue, _ text: String) throws -> Int {
        if let result = JSONComparison.order(a, b) { return result }
        let left = ExpressionContext.article(a)
        let right = ExpressionContext.article(b)
        let why = a.typeName == b.typeName ? "; only numbers and strings can be ordered" : ""
        throw HarmoniaError(
            .expressionError, "cannot compare \(left) with \(right) using '\(op.rawValue)'\(why) (in \(text))")
    }

    private func contains(_ haystack: JSONValue, _ needle: JSONValue, _ text: String) throws -> Bool {
        switch haystack {
        case .array(let elements):
            return elements.contains { JSONComparison.equal($0, needle) }
        case .string(let string):
            guard case .string(let part) = needle else {
                throw HarmoniaError(
                    .expressionError,
                    "'in' on a string needs a string to look for, not \(ExpressionContext.article(needle)) (in \(text))")
            }
            return JSONComparison.containsSubstring(string, part)
        case .object(let members):
            guard case .string(let key) = needle else {
                throw HarmoniaError(
                    .expressionError,
                    "'in' on an object needs a string key, not \(ExpressionContext.article(needle)) (in \(text))")
            }
            return members[key] != nil
        case .null, .bool, .integer, .double:
            throw HarmoniaError(
                .expressionError,
                "'in' needs an array, a string or an object to look in, not \(ExpressionContext.article(haystack)) (in \(text))")
        }
    }
}

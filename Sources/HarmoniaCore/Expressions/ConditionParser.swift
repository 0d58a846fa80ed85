/// Parses the condition language by recursive descent.
///
/// Precedence, loosest first: `or`, `and`, `not`, then one comparison (`==`, `!=`, `<`, `<=`,
/// `>`, `>=`, `in`, `not in`) between two operands. So `not a and b or c` is
/// `((not a) and b) or c`, and `not x == 1` is `not (x == 1)`. Comparisons do not chain.
struct ConditionParser {
    typealias Bytes = UnsafeBufferPointer<UInt8>

    let tokens: [ConditionToken]
    let bytes: Bytes
    var position = 0
    var depth: Int

    /// Parses `text`; errors carry `path` and the column of the problem.
    static func parse(_ text: String, path: String, depth: Int) throws -> ConditionNode {
        if text.utf8.count > ExpressionParser.maxLength, text.count > ExpressionParser.maxLength {
            throw HarmoniaError(
                .malformedExpression,
                "the condition is longer than \(ExpressionParser.maxLength) characters (\(text.count))", path: path)
        }
        var text = text
        return try text.withUTF8 { bytes in
            do throws(ExpressionSyntaxError) {
                var parser = ConditionParser(tokens: try ConditionLexer.tokenize(bytes), bytes: bytes, depth: depth)
                return try parser.parseCondition()
            } catch {
                throw error.harmoniaError(in: bytes, kind: "condition", path: path)
            }
        }
    }

    private var current: ConditionToken { tokens[position] }

    private mutating func advance() -> ConditionToken {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private mutating func parseCondition() throws(ExpressionSyntaxError) -> ConditionNode {
        if current.kind == .end { throw ExpressionSyntaxError(at: 0, "the condition is empty") }
        let node = try parseOr()
        guard current.kind == .end else {
            throw ExpressionSyntaxError(at: current.start, "unexpected \(describe(current)); expected 'and', 'or' or the end")
        }
        return node
    }

    private mutating func parseOr() throws(ExpressionSyntaxError) -> ConditionNode {
        var items = [try parseAnd()]
        while current.kind == .or {
            _ = advance()
            items.append(try parseAnd())
        }
        return items.count == 1 ? items[0] : .or(items)
    }

    private mutating func parseAnd() throws(ExpressionSyntaxError) -> ConditionNode {
        var items = [try parseNot()]
        while current.kind == .and {
            _ = advance()
            items.append(try parseNot())
        }
        return items.count == 1 ? items[0] : .and(items)
    }

    private mutating func parseNot() throws(ExpressionSyntaxError) -> ConditionNode {
        guard current.kind == .not else { return try parseComparison() }
        try enter(advance())
        defer { depth -= 1 }
        return .not(try parseNot())
    }

    private mutating func parseComparison() throws(ExpressionSyntaxError) -> ConditionNode {
        let first = current
        let left = try parseOperand()
        let op: ComparisonOperator
        switch current.kind {
        case .comparison(let comparison): op = comparison
        case .in: op = .in
        case .not:
            guard position + 1 < tokens.count, tokens[position + 1].kind == .in else {
                throw ExpressionSyntaxError(at: current.start, "unexpected 'not' after a value; did you mean 'not in'?")
            }
            _ = advance()
            op = .notIn
        default:
            return left
        }
        _ = advance()
        let right = try parseOperand()
        let last = tokens[position - 1]
        switch current.kind {
        case .comparison, .in:
            throw ExpressionSyntaxError(at: current.start, "comparisons cannot be chained; join them with 'and'")
        case .not where position + 1 < tokens.count && tokens[position + 1].kind == .in:
            throw ExpressionSyntaxError(at: current.start, "comparisons cannot be chained; join them with 'and'")
        default:
            break
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[first.start..<last.end]), as: UTF8.self)
        return .compare(op, left, right, text: text)
    }

    private mutating func parseOperand() throws(ExpressionSyntaxError) -> ConditionNode {
        let token = current
        switch token.kind {
        case .value(let value):
            _ = advance()
            return .value(value)
        case .leftParen:
            try enter(advance())
            defer { depth -= 1 }
            let inner = try parseOr()
            guard current.kind == .rightParen else {
                if current.kind == .end { throw ExpressionSyntaxError(at: token.start, "missing ')' to close this '('") }
                throw ExpressionSyntaxError(at: current.start, "expected ')', found \(describe(current))")
            }
            _ = advance()
            return inner
        case .leftBracket:
            try enter(advance())
            defer { depth -= 1 }
            return try parseList(openedAt: token.start)
        default:
            throw ExpressionSyntaxError(at: token.start, "expected a value, found \(describe(token))")
        }
    }

    /// `[a, b, ...]` after the `[`; a list of constants folds into one literal.
    private mutating func parseList(openedAt open: Int) throws(ExpressionSyntaxError) -> ConditionNode {
        var items: [ConditionNode] = []
        while current.kind != .rightBracket {
            items.append(try parseOr())
            if current.kind == .comma {
                _ = advance()
            } else if current.kind != .rightBracket {
                if current.kind == .end { throw ExpressionSyntaxError(at: open, "missing ']' to close this '['") }
                throw ExpressionSyntaxError(at: current.start, "expected ',' or ']', found \(describe(current))")
            }
        }
        _ = advance()
        var constants: [JSONValue] = []
        for item in items {
            guard case .value(.literal(let value)) = item else { return .list(items) }
            constants.append(value)
        }
        return .value(.literal(.array(constants)))
    }

    /// Counts one level of nesting at `token`; too deep is an error.
    private mutating func enter(_ token: ConditionToken) throws(ExpressionSyntaxError) {
        depth += 1
        if depth > ExpressionParser.maxDepth {
            throw ExpressionSyntaxError(at: token.start, "the condition is nested deeper than \(ExpressionParser.maxDepth) levels")
        }
    }

    /// The token as written, quoted, for messages.
    private func describe(_ token: ConditionToken) -> String {
        if token.kind == .end { return "the end of the condition" }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[token.start..<token.end]), as: UTF8.self)
        return "'\(text)'"
    }
}

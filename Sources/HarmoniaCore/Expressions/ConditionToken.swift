/// One token of the condition language, located by byte offsets for error columns.
struct ConditionToken: Sendable {
    enum Kind: Sendable, Hashable {
        case leftParen, rightParen, leftBracket, rightBracket, comma
        /// `==`, `!=`, `<`, `<=`, `>`, `>=`.
        case comparison(ComparisonOperator)
        /// `and`/`&&`, `or`/`||`, `not`/`!`, `in`.
        case and, or, not, `in`
        /// A literal, a quoted string (which may hold `${...}`), or a path.
        case value(ValueTemplate)
        case end
    }

    var kind: Kind
    /// Offset of the first byte.
    var start: Int
    /// Offset after the last byte.
    var end: Int
}

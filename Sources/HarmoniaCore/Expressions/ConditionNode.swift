/// A comparison a condition can make, in both the string language and the dict form.
enum ComparisonOperator: String, Sendable, Hashable {
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    /// Membership: needle on the left, haystack on the right.
    case `in` = "in"
    case notIn = "not in"
    /// Membership the other way round: haystack on the left (the dict form's `contains`).
    case contains = "contains"
}

/// The parsed form of a condition, shared by the string language and the dict form.
///
/// Every node evaluates to a JSON value; boolean operators produce `.bool`, and the condition
/// as a whole is truthy-tested, so `input.flag` alone and `(a == 1) == true` both work.
indirect enum ConditionNode: Sendable, Hashable {
    /// A literal, a quoted string with `${...}`, or a path.
    case value(ValueTemplate)
    /// A list literal some of whose elements are not constants, such as `[input.a, 'b']`.
    case list([ConditionNode])
    case not(ConditionNode)
    case and([ConditionNode])
    case or([ConditionNode])
    /// `text` is the comparison as written, quoted in type errors.
    case compare(ComparisonOperator, ConditionNode, ConditionNode, text: String)
    /// True iff the reference resolves.
    case exists(ExpressionReference)

    /// Appends the references inside, in order of appearance.
    func collectReferences(into references: inout [ExpressionReference]) {
        switch self {
        case .value(let template): template.collectReferences(into: &references)
        case .list(let nodes), .and(let nodes), .or(let nodes):
            for node in nodes { node.collectReferences(into: &references) }
        case .not(let node): node.collectReferences(into: &references)
        case .compare(_, let left, let right, _):
            left.collectReferences(into: &references)
            right.collectReferences(into: &references)
        case .exists(let reference): references.append(reference)
        }
    }
}

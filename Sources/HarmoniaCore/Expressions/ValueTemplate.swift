/// A JSON value whose strings may hold `${...}`, compiled once so a condition evaluated at
/// every dispatch does not scan its operands again.
///
/// Subtrees without any reference collapse to `.literal`, so constants cost nothing to render.
indirect enum ValueTemplate: Sendable, Hashable {
    /// A value with no reference inside; stands for itself.
    case literal(JSONValue)
    /// A string with references.
    case string(StringTemplate)
    /// An array some of whose elements hold references.
    case array([ValueTemplate])
    /// An object some of whose members hold references.
    case object([String: ValueTemplate])

    /// A path used as a value, as in a condition's `input.x`.
    static func reference(_ reference: ExpressionReference) -> ValueTemplate {
        .string(.whole(reference))
    }

    /// Compiles `value`; errors carry a path suffix relative to it (`[1]`, `.a`).
    static func compile(_ value: JSONValue) throws -> ValueTemplate {
        switch value {
        case .string(let s):
            guard let template = try StringTemplate.parse(s, path: nil) else { return .literal(value) }
            if let literal = template.literalText { return .literal(.string(literal)) }
            return .string(template)
        case .array(let elements):
            var compiled: [ValueTemplate] = []
            compiled.reserveCapacity(elements.count)
            var allLiteral = true
            for (i, element) in elements.enumerated() {
                let template: ValueTemplate
                do { template = try compile(element) } catch { throw Expressions.located(error, .index(i)) }
                if case .literal = template {} else { allLiteral = false }
                compiled.append(template)
            }
            if allLiteral { return .literal(.array(compiled.map { $0.literalValue! })) }
            return .array(compiled)
        case .object(let members):
            var compiled: [String: ValueTemplate] = [:]
            var allLiteral = true
            for key in members.keys.sorted() {
                let template: ValueTemplate
                do { template = try compile(members[key]!) } catch { throw Expressions.located(error, .key(key)) }
                if case .literal = template {} else { allLiteral = false }
                compiled[key] = template
            }
            if allLiteral { return .literal(.object(compiled.mapValues { $0.literalValue! })) }
            return .object(compiled)
        case .null, .bool, .integer, .double:
            return .literal(value)
        }
    }

    /// The value when this is a literal.
    var literalValue: JSONValue? {
        if case .literal(let value) = self { return value }
        return nil
    }

    /// Resolves the references inside.
    func render(in context: ExpressionContext) throws -> JSONValue {
        switch self {
        case .literal(let value): return value
        case .string(let template): return try template.render(in: context)
        case .array(let elements): return .array(try elements.map { try $0.render(in: context) })
        case .object(let members): return .object(try members.mapValues { try $0.render(in: context) })
        }
    }

    /// Appends the references inside, objects in sorted key order.
    func collectReferences(into references: inout [ExpressionReference]) {
        switch self {
        case .literal: return
        case .string(let template): template.collectReferences(into: &references)
        case .array(let elements): for element in elements { element.collectReferences(into: &references) }
        case .object(let members):
            for key in members.keys.sorted() { members[key]!.collectReferences(into: &references) }
        }
    }
}

extension ExpressionContext {
    /// Resolves one reference against this context.
    ///
    /// Never answers a silent null for something missing: a key that exists with a null value
    /// resolves to null, anything that does not exist throws `expression_error` naming the
    /// reference and the segment that failed, so a typo shows up as a task failure that says
    /// what to fix.
    func value(of reference: ExpressionReference) throws -> JSONValue {
        let segments = reference.segments
        var current: JSONValue
        var first = 0
        switch reference.root {
        case "input": current = input
        case "workflow": current = workflow
        case "execution": current = execution
        case "tasks":
            guard case .key(let id)? = segments.first else {
                throw Self.failure(reference, "it names no task")
            }
            guard let output = taskOutputs[id] else {
                throw Self.failure(
                    reference, "task \"\(id)\" has no output (it has not completed, or there is no such task)")
            }
            current = output
            first = 1
        case "item":
            guard let item else {
                throw Self.failure(reference, "${item} exists only in a task with for_each")
            }
            current = item
        case "index":
            guard let index else {
                throw Self.failure(reference, "${index} exists only in a task with for_each")
            }
            guard segments.isEmpty else {
                throw Self.failure(reference, "${index} is a number and has no parts")
            }
            return .integer(index)
        case "env":
            guard segments.count == 1, case .key(let name) = segments[0] else {
                throw Self.failure(reference, "env takes exactly one name, as in ${env.NAME}")
            }
            guard let value = env[name] else {
                throw Self.failure(reference, "environment variable \"\(name)\" is not on the allow-list")
            }
            return .string(value)
        default:
            throw HarmoniaError(
                .unknownExpressionRoot,
                "cannot resolve \(reference.text): unknown root \"\(reference.root)\" (expected \(Expressions.rootList))")
        }
        var i = first
        while i < segments.count {
            switch segments[i] {
            case .key(let key):
                guard case .object(let members) = current else {
                    var hint = ""
                    if case .array = current, key.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                        hint = " (index arrays with [\(key)])"
                    }
                    throw Self.failure(
                        reference, "\(Self.location(reference, i)) is \(Self.article(current)), not an object\(hint)")
                }
                guard let next = members[key] else {
                    throw Self.failure(
                        reference, "no key \"\(key)\" in \(Self.location(reference, i))\(Self.keyList(members))")
                }
                current = next
            case .index(let index):
                guard case .array(let elements) = current else {
                    throw Self.failure(
                        reference, "\(Self.location(reference, i)) is \(Self.article(current)), not an array")
                }
                guard index >= 0, index < elements.count else {
                    let noun = elements.count == 1 ? "element" : "elements"
                    throw Self.failure(
                        reference, "index \(index) out of range (array has \(elements.count) \(noun))")
                }
                current = elements[index]
            }
            i += 1
        }
        return current
    }

    static func failure(_ reference: ExpressionReference, _ detail: String) -> HarmoniaError {
        HarmoniaError(.expressionError, "cannot resolve \(reference.text): \(detail)")
    }

    /// The canonical path walked before segment `end`, such as `tasks.fetch.output.items`.
    private static func location(_ reference: ExpressionReference, _ end: Int) -> String {
        if reference.root == "tasks", case .key(let id)? = reference.segments.first {
            let base = PathSegment.render("tasks", [.key(id)]) + ".output"
            return PathSegment.render(base, reference.segments[1..<end])
        }
        return PathSegment.render(reference.root, reference.segments[0..<end])
    }

    /// " (it has: a, b, c)" with at most ten keys, so a typo is easy to spot.
    private static func keyList(_ members: [String: JSONValue]) -> String {
        if members.isEmpty { return " (the object is empty)" }
        let keys = members.keys.sorted()
        let shown = keys.prefix(10).joined(separator: ", ")
        return " (it has: \(shown)\(keys.count > 10 ? ", ..." : ""))"
    }

    /// "a string", "an object", "null", ... for error messages.
    static func article(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .integer, .object, .array: return "an \(value.typeName)"
        default: return "a \(value.typeName)"
        }
    }
}

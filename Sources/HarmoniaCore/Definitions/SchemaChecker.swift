import Foundation

/// Walks a value and its schema together, recording every mismatch with its path.
///
/// Recursion follows the value's nesting, which the JSON parser already bounds (256
/// levels), so it cannot exhaust the stack. Compiled patterns are cached for the walk: an
/// array of ten thousand strings compiles its `pattern` once.
struct SchemaChecker {
    private var patterns: [String: NSRegularExpression?] = [:]

    mutating func check(_ value: JSONValue, against schema: JSONValue, path: String, problems: inout ProblemList) {
        if case .bool(false) = schema {
            problems.add(.invalidInput, "\(path) is not allowed", path: path)
            return
        }
        guard let s = schema.objectValue else { return }

        if let expected = Self.types(s["type"]), !expected.contains(where: { InputValidator.matches(value, type: $0) }) {
            let wanted = expected.count == 1 ? expected[0] : "one of " + expected.joined(separator: ", ")
            problems.add(.invalidInput, "\(path) must be \(wanted), got \(value.typeName)", path: path)
            return  // Further keywords would only repeat the same mistake in other words.
        }
        if let options = s["enum"]?.arrayValue, !options.contains(where: { InputValidator.equal($0, value) }) {
            let list = options.prefix(10).map { $0.jsonString() }.joined(separator: ", ")
            problems.add(.invalidInput, "\(path) must be one of \(list), got \(value.jsonString())", path: path)
        }
        if let constant = s["const"], !InputValidator.equal(constant, value) {
            problems.add(.invalidInput, "\(path) must be \(constant.jsonString())", path: path)
        }
        switch value {
        case .string(let text): checkString(text, s, path: path, problems: &problems)
        case .integer, .double: checkNumber(value.doubleValue!, s, path: path, problems: &problems)
        case .array(let elements): checkArray(elements, s, path: path, problems: &problems)
        case .object(let members): checkObject(members, s, path: path, problems: &problems)
        default: break
        }
    }

    /// The canonical type names of a `type` keyword; nil when there is none (or none usable).
    static func types(_ keyword: JSONValue?) -> [String]? {
        switch keyword {
        case .string(let name): return InputValidator.typeName(name).map { [$0] }
        case .array(let names):
            let known = names.compactMap { $0.stringValue.flatMap(InputValidator.typeName) }
            return known.isEmpty ? nil : known
        default: return nil
        }
    }

    private mutating func checkString(
        _ text: String, _ s: [String: JSONValue], path: String, problems: inout ProblemList
    ) {
        // JSON Schema counts characters as code points.
        let length = text.unicodeScalars.count
        if let min = s["minLength"]?.intValue, length < min {
            problems.add(.invalidInput, "\(path) must be at least \(min) characters long, got \(length)", path: path)
        }
        if let max = s["maxLength"]?.intValue, length > max {
            problems.add(.invalidInput, "\(path) must be at most \(max) characters long, got \(length)", path: path)
        }
        if let pattern = s["pattern"]?.stringValue {
            guard let regex = compiled(pattern) else {
                problems.add(.invalidInput, "\(path): the schema's pattern '\(pattern)' does not compile", path: path)
                return
            }
            switch Self.match(regex, text) {
            case .matched:
                break
            case .unmatched:
                problems.add(.invalidInput, "\(path) must match the pattern '\(pattern)'", path: path)
            case .tooSlow:
                problems.add(
                    .invalidInput,
                    "\(path): the schema's pattern '\(pattern)' took more than \(Self.matchTimeLimitMilliseconds) ms on this value; simplify the pattern",
                    path: path)
            }
        }
    }

    private func checkNumber(_ n: Double, _ s: [String: JSONValue], path: String, problems: inout ProblemList) {
        func fail(_ requirement: String, _ bound: JSONValue) {
            problems.add(.invalidInput, "\(path) must be \(requirement) \(bound.jsonString()), got \(n.formatted)", path: path)
        }
        // Draft 4 spelled exclusivity as a boolean beside minimum/maximum.
        let exclusiveMin = s["exclusiveMinimum"]?.boolValue == true
        let exclusiveMax = s["exclusiveMaximum"]?.boolValue == true
        if let bound = s["minimum"], let m = bound.doubleValue {
            if exclusiveMin ? n <= m : n < m { fail(exclusiveMin ? "greater than" : "at least", bound) }
        }
        if let bound = s["maximum"], let m = bound.doubleValue {
            if exclusiveMax ? n >= m : n > m { fail(exclusiveMax ? "less than" : "at most", bound) }
        }
        if let bound = s["exclusiveMinimum"], let m = bound.doubleValue, n <= m { fail("greater than", bound) }
        if let bound = s["exclusiveMaximum"], let m = bound.doubleValue, n >= m { fail("less than", bound) }
    }

    private mutating func checkArray(
        _ elements: [JSONValue], _ s: [String: JSONValue], path: String, problems: inout ProblemList
    ) {
        if let min = s["minItems"]?.intValue, elements.count < min {
            problems.add(.invalidInput, "\(path) must hold at least \(min) items, got \(elements.count)", path: path)
        }
        if let max = s["maxItems"]?.intValue, elements.count > max {
            problems.add(.invalidInput, "\(path) must hold at most \(max) items, got \(elements.count)", path: path)
        }
        guard let items = s["items"] else { return }
        for (index, element) in elements.enumerated() {
            check(element, against: items, path: JSONPath.appending(path, index: index), problems: &problems)
        }
    }

    private mutating func checkObject(
        _ members: [String: JSONValue], _ s: [String: JSONValue], path: String, problems: inout ProblemList
    ) {
        let properties = s["properties"]?.objectValue ?? [:]
        var required = (s["required"]?.arrayValue ?? []).compactMap(\.stringValue)
        required += properties.keys.filter { properties[$0]?.objectValue?["required"]?.boolValue == true }
        for name in Set(required).sorted() where members[name] == nil {
            let memberPath = JSONPath.appending(path, key: name)
            problems.add(.invalidInput, "\(memberPath) is required", path: memberPath)
        }
        for name in members.keys.sorted() {
            let memberPath = JSONPath.appending(path, key: name)
            if let property = properties[name] {
                check(members[name]!, against: property, path: memberPath, problems: &problems)
            } else if let additional = s["additionalProperties"] {
                if case .bool(false) = additional {
                    problems.add(.invalidInput, "\(memberPath) is not an allowed property", path: memberPath)
                } else {
                    check(members[name]!, against: additional, path: memberPath, problems: &problems)
                }
            }
        }
    }

    /// The longest one pattern may run on one value. A backtracking pattern such as
    /// `^(a+)+$` took 0.75 s of CPU per request, and eight such requests stalled unrelated
    /// starts for seconds; past this bound the value is refused instead.
    static let matchTimeLimitMilliseconds = 50

    enum MatchOutcome { case matched, unmatched, tooSlow }

    /// Whether `regex` finds a match in `text`, giving up after the time limit. The regex
    /// engine calls back periodically during a long match (`.reportProgress`), which is where
    /// the clock is checked and the match stopped.
    static func match(_ regex: NSRegularExpression, _ text: String) -> MatchOutcome {
        let deadline = ContinuousClock.now + .milliseconds(matchTimeLimitMilliseconds)
        var outcome = MatchOutcome.unmatched
        regex.enumerateMatches(in: text, options: [.reportProgress], range: NSRange(text.startIndex..., in: text)) {
            result, _, stop in
            if result != nil {
                outcome = .matched
                stop.pointee = true
            } else if ContinuousClock.now > deadline {
                outcome = .tooSlow
                stop.pointee = true
            }
        }
        return outcome
    }

    private mutating func compiled(_ pattern: String) -> NSRegularExpression? {
        if let cached = patterns[pattern] { return cached }
        let regex = try? NSRegularExpression(pattern: pattern)
        patterns[pattern] = regex
        return regex
    }
}

extension Double {
    /// `3` for integral values, `2.5` otherwise: numbers as a person wrote them.
    fileprivate var formatted: String {
        rounded() == self && abs(self) < 1e15 ? String(Int(self)) : String(self)
    }
}

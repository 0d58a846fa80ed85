/// Reads the members of one JSON object the lenient way requests are written: each key by
/// its snake_case name, its camelCase spelling, or a listed alias, with JSON `null` treated
/// as absent. Wrong types are recorded in a `ProblemList` with the member's JSON path rather
/// than thrown, so one pass over a definition reports every mistake in it.
///
/// When a key appears under two spellings the snake_case one wins: it is the canonical form
/// the server writes back, so a client that round-trips a stored definition stays correct.
struct LenientObject {
    /// One member that was found: its value and the JSON path of the spelling used.
    struct Field {
        let value: JSONValue
        let path: String
    }

    /// A bound a number must respect, with the words used to explain it.
    struct Rule {
        let requirement: String
        let test: @Sendable (Double) -> Bool

        static func atLeast(_ minimum: Double) -> Rule {
            Rule(requirement: "at least \(format(minimum))") { $0 >= minimum }
        }
        static func greaterThan(_ minimum: Double) -> Rule {
            Rule(requirement: "greater than \(format(minimum))") { $0 > minimum }
        }
        /// A number of seconds above `minimum` and within `DurationLimit`.
        static func duration(greaterThan minimum: Double) -> Rule {
            Rule(requirement: "greater than \(format(minimum)) and at most \(DurationLimit.maximumDescription)") {
                $0 > minimum && DurationLimit.isWithinMaximum($0)
            }
        }
        /// A number of seconds of at least `minimum` and within `DurationLimit`.
        static func duration(atLeast minimum: Double) -> Rule {
            Rule(requirement: "between \(format(minimum)) and \(DurationLimit.maximumDescription)") {
                $0 >= minimum && DurationLimit.isWithinMaximum($0)
            }
        }
        static func between(_ low: Double, _ high: Double) -> Rule {
            Rule(requirement: "between \(format(low)) and \(format(high))") { $0 >= low && $0 <= high }
        }
        private static func format(_ d: Double) -> String {
            d.rounded() == d && abs(d) < 1e15 ? String(Int(d)) : String(d)
        }
    }

    let members: [String: JSONValue]
    /// JSON path of the object itself; "" for the document root.
    let path: String

    init(_ members: [String: JSONValue], path: String) {
        self.members = members
        self.path = path
    }

    /// The camelCase spelling of a snake_case key: `max_retries` → `maxRetries`.
    static func camelCase(_ snake: String) -> String {
        let parts = snake.split(separator: "_", omittingEmptySubsequences: true)
        guard let first = parts.first else { return snake }
        return parts.dropFirst().reduce(String(first)) { $0 + $1.prefix(1).uppercased() + $1.dropFirst() }
    }

    /// The member named `key` (snake_case), its camelCase spelling or one of `aliases`, in
    /// that order of preference; nil when absent or null.
    func field(_ key: String, aliases: [String] = []) -> Field? {
        if let found = member(key) { return found }
        if key.utf8.contains(UInt8(ascii: "_")), let found = member(Self.camelCase(key)) { return found }
        for alias in aliases {
            if let found = member(alias) { return found }
        }
        return nil
    }

    /// A problem for each member given in both spellings (`retry_policy` and `retryPolicy`,
    /// both non-null): only the snake_case one would be read, so the other would be
    /// silently ignored. Refusing says which to keep.
    func checkSpellings(code: HarmoniaError.Code = .invalidDefinition, problems: inout ProblemList) {
        for name in members.keys.sorted() where name.utf8.contains(UInt8(ascii: "_")) {
            let camel = Self.camelCase(name)
            guard camel != name, member(name) != nil, let twin = member(camel) else { continue }
            problems.add(code, "\(twin.path) repeats \(JSONPath.appending(path, key: name)): give one spelling, not both", path: twin.path)
        }
    }

    private func member(_ name: String) -> Field? {
        guard let value = members[name], !value.isNull else { return nil }
        return Field(value: value, path: JSONPath.appending(path, key: name))
    }

    /// The JSON path a missing member would have, for "is required" problems.
    func missingPath(_ key: String) -> String {
        JSONPath.appending(path, key: key)
    }

    func string(
        _ key: String, aliases: [String] = [], code: HarmoniaError.Code = .invalidDefinition,
        problems: inout ProblemList
    ) -> String? {
        guard let field = field(key, aliases: aliases) else { return nil }
        guard let s = field.value.stringValue else {
            problems.add(code, "\(field.path) must be a string, got \(field.value.typeName)", path: field.path)
            return nil
        }
        return s
    }

    /// A string that must be present and non-empty (after trimming blanks).
    func requiredString(
        _ key: String, aliases: [String] = [], code: HarmoniaError.Code = .invalidDefinition,
        problems: inout ProblemList
    ) -> String? {
        guard let found = field(key, aliases: aliases) else {
            problems.add(code, "\(missingPath(key)) is required", path: missingPath(key))
            return nil
        }
        guard let s = string(key, aliases: aliases, code: code, problems: &problems) else { return nil }
        if s.allSatisfy(\.isWhitespace) {
            problems.add(code, "\(found.path) must not be empty", path: found.path)
            return nil
        }
        return s
    }

    func bool(_ key: String, code: HarmoniaError.Code = .invalidDefinition, problems: inout ProblemList) -> Bool? {
        guard let field = field(key) else { return nil }
        guard let b = field.value.boolValue else {
            problems.add(code, "\(field.path) must be a boolean, got \(field.value.typeName)", path: field.path)
            return nil
        }
        return b
    }

    /// A whole number; an integral double such as `3.0` counts.
    func integer(
        _ key: String, rule: Rule? = nil, code: HarmoniaError.Code = .invalidDefinition,
        problems: inout ProblemList
    ) -> Int? {
        guard let field = field(key) else { return nil }
        guard let i = field.value.intValue else {
            let got = field.value.doubleValue != nil ? "a fractional number" : field.value.typeName
            problems.add(code, "\(field.path) must be an integer, got \(got)", path: field.path)
            return nil
        }
        return check(Double(i), field: field, rule: rule, code: code, problems: &problems) ? i : nil
    }

    /// A finite number (integer or not).
    func number(
        _ key: String, rule: Rule? = nil, code: HarmoniaError.Code = .invalidDefinition,
        problems: inout ProblemList
    ) -> Double? {
        guard let field = field(key) else { return nil }
        guard let d = field.value.doubleValue else {
            problems.add(code, "\(field.path) must be a number, got \(field.value.typeName)", path: field.path)
            return nil
        }
        guard d.isFinite else {
            // Only a value built in code gets here: the JSON and YAML readers refuse these.
            problems.add(code, "\(field.path) must be a finite number, got \(d)", path: field.path)
            return nil
        }
        return check(d, field: field, rule: rule, code: code, problems: &problems) ? d : nil
    }

    func object(
        _ key: String, aliases: [String] = [], code: HarmoniaError.Code = .invalidDefinition,
        problems: inout ProblemList
    ) -> (members: [String: JSONValue], path: String)? {
        guard let field = field(key, aliases: aliases) else { return nil }
        guard let o = field.value.objectValue else {
            problems.add(code, "\(field.path) must be an object, got \(field.value.typeName)", path: field.path)
            return nil
        }
        return (o, field.path)
    }

    /// A list of non-empty strings, also accepted as one bare string. Duplicates are dropped,
    /// keeping the first occurrence.
    func stringList(
        _ key: String, aliases: [String] = [], code: HarmoniaError.Code = .invalidDefinition,
        problems: inout ProblemList
    ) -> [String]? {
        guard let field = field(key, aliases: aliases) else { return nil }
        let elements: [(JSONValue, String)]
        switch field.value {
        case .string: elements = [(field.value, field.path)]
        case .array(let a): elements = a.enumerated().map { ($1, JSONPath.appending(field.path, index: $0)) }
        default:
            let message = "\(field.path) must be a string or an array of strings, got \(field.value.typeName)"
            problems.add(code, message, path: field.path)
            return nil
        }
        var result: [String] = []
        var seen: Set<String> = []
        for (value, elementPath) in elements {
            guard let s = value.stringValue, !s.isEmpty else {
                let got = value.stringValue != nil ? "an empty string" : value.typeName
                problems.add(code, "\(elementPath) must be a non-empty string, got \(got)", path: elementPath)
                continue
            }
            if seen.insert(s).inserted { result.append(s) }
        }
        return result
    }

    private func check(
        _ d: Double, field: Field, rule: Rule?, code: HarmoniaError.Code, problems: inout ProblemList
    ) -> Bool {
        guard let rule, !rule.test(d) else { return true }
        problems.add(
            code, "\(field.path) must be \(rule.requirement), got \(field.value.jsonString())", path: field.path)
        return false
    }
}

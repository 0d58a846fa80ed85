import Foundation

extension TemplateParameter {
    /// The parameter's rules as the JSON Schema subset `SchemaChecker` understands, so values
    /// are judged (and explained) exactly like workflow inputs.
    var schema: JSONValue {
        var s: [String: JSONValue] = ["type": .string(type.rawValue)]
        if let allowedValues { s["enum"] = .array(allowedValues) }
        if let minimum { s["minimum"] = Self.number(minimum) }
        if let maximum { s["maximum"] = Self.number(maximum) }
        if let minLength { s[type == .array ? "minItems" : "minLength"] = .integer(minLength) }
        if let maxLength { s[type == .array ? "maxItems" : "maxLength"] = .integer(maxLength) }
        if let pattern { s["pattern"] = .string(pattern) }
        return .object(s)
    }

    /// Records every way `value` breaks this parameter's rules, each under `code` at `path`.
    func check(_ value: JSONValue, path: String, code: HarmoniaError.Code, problems: inout ProblemList) {
        var found = ProblemList()
        var checker = SchemaChecker()
        checker.check(value, against: schema, path: path, problems: &found)
        for problem in found.problems {
            problems.add(code, problem.message, path: problem.path)
        }
    }

    /// Problems in the declaration itself: rules that do not fit the type, bounds that
    /// contradict each other, a pattern that does not compile, a default or an allowed value
    /// that breaks the other rules. `path` is where the declaration sits (`parameters.region`).
    func declarationProblems(path: String, problems: inout ProblemList) {
        func add(_ key: String, _ message: String) {
            let at = JSONPath.appending(path, key: key)
            problems.add(.invalidTemplate, "\(at) \(message)", path: at)
        }
        if !type.isNumeric {
            if minimum != nil { add("minimum", "applies only to number and integer parameters, not \(type.rawValue)") }
            if maximum != nil { add("maximum", "applies only to number and integer parameters, not \(type.rawValue)") }
        }
        if let minimum, let maximum, minimum > maximum {
            add("minimum", "(\(Self.number(minimum).jsonString())) is above maximum (\(Self.number(maximum).jsonString()))")
        }
        if !type.hasLength {
            if minLength != nil { add("min_length", "applies only to string and array parameters, not \(type.rawValue)") }
            if maxLength != nil { add("max_length", "applies only to string and array parameters, not \(type.rawValue)") }
        }
        if let minLength, minLength < 0 { add("min_length", "must be at least 0, got \(minLength)") }
        if let maxLength, maxLength < 0 { add("max_length", "must be at least 0, got \(maxLength)") }
        if let minLength, let maxLength, minLength > maxLength {
            add("min_length", "(\(minLength)) is above max_length (\(maxLength))")
        }
        var patternCompiles = true
        if let pattern {
            if type != .string { add("pattern", "applies only to string parameters, not \(type.rawValue)") }
            if (try? NSRegularExpression(pattern: pattern)) == nil {
                patternCompiles = false
                add("pattern", "'\(pattern)' is not a valid regular expression")
            }
        }
        // Checking values against a broken pattern would only repeat that problem.
        guard patternCompiles else { return }
        if let allowedValues {
            if allowedValues.isEmpty { add("enum", "must list at least one value") }
            var withoutEnum = self
            withoutEnum.allowedValues = nil
            for (index, value) in allowedValues.enumerated() {
                let at = JSONPath.appending(JSONPath.appending(path, key: "enum"), index: index)
                withoutEnum.check(value, path: at, code: .invalidTemplate, problems: &problems)
            }
        }
        if let defaultValue {
            check(defaultValue, path: JSONPath.appending(path, key: "default"), code: .invalidTemplate, problems: &problems)
        }
    }

    /// A bound as a person wrote it: `1`, not `1.0`.
    static func number(_ d: Double) -> JSONValue {
        d.rounded() == d && abs(d) < 9.0e15 ? .integer(Int(d)) : .double(d)
    }
}

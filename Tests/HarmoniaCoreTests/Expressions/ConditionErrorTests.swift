import HarmoniaCore
import Testing

/// Conditions that do not parse (malformed_expression with path and column) and conditions
/// that cannot be evaluated (expression_error).
struct ConditionErrorTests {
    typealias F = ExpressionFixtures

    private func parseError(_ condition: JSONValue, path: String = "tasks.t.condition") -> HarmoniaError? {
        #expect(throws: HarmoniaError.self) { try Condition.parse(condition, path: path) }
    }

    private func evaluationError(_ condition: JSONValue) -> HarmoniaError? {
        #expect(throws: HarmoniaError.self) { try F.holds(condition) }
    }

    @Test(arguments: [
        ("", 1, "the condition is empty"), ("   ", 1, "the condition is empty"),
        ("input.x ==", 11, "expected a value, found the end of the condition"),
        ("input.x = 1", 9, "use '=='"), ("input.a & input.b", 9, "use 'and' or '&&'"), ("input.x | 1", 9, "use 'or' or '||'"),
        ("(input.x == 1", 1, "missing ')'"), ("input.x == 1)", 13, "unexpected ')'"),
        ("[1, 2", 1, "missing ']'"), ("[1 2]", 4, "expected ',' or ']'"),
        ("input.x == 1 input.y", 14, "unexpected 'input.y'"),
        ("1 < input.x < 3", 13, "cannot be chained"), ("1 == 1 in [true]", 8, "cannot be chained"),
        ("input.x not 3", 9, "did you mean 'not in'"),
        ("'abc", 1, "missing closing '"), ("\"abc", 1, "missing closing \""),
        ("input.x == True", 12, "did you mean 'true'"), ("input.x == None", 12, "did you mean 'null'"),
        ("input.x AND input.y", 9, "did you mean 'and'"),
        ("input.", 7, "expected a name after '.'"), ("input.x == ${input.", 20, "expected a name after '.'"),
        ("'${input.}' == 1", 10, "expected a name after '.'"),
        ("input.x == 1.", 12, "malformed number"), ("- 1", 1, "expected a number after '-'"),
        ("input.x == @", 12, "unexpected '@'"), ("$x", 1, "unexpected '$'"), ("and", 1, "expected a value, found 'and'"),
        ("()", 2, "expected a value, found ')'"), ("tasks == 1", 1, "expected a task id"),
    ])
    func malformedStrings(condition: String, column: Int, reason: String) {
        let error = parseError(.string(condition))
        #expect(error?.code == .malformedExpression, "\(condition)")
        #expect(error?.path == "tasks.t.condition")
        #expect(error?.message.contains("column \(column) ") == true, "\(condition): \(error?.message ?? "")")
        #expect(error?.message.contains(reason) == true, "\(condition): \(error?.message ?? "")")
        #expect(error?.message.contains("condition") == true)
    }

    @Test func unknownRootsInConditions() {
        let bare = parseError("foo.x == 1")
        #expect(bare?.code == .unknownExpressionRoot)
        #expect(bare?.message.contains("\"foo\"") == true)
        #expect(bare?.message.contains("column 1 ") == true)
        #expect(parseError("x == 1")?.code == .unknownExpressionRoot)
        #expect(parseError("input.a == ${secret.b}")?.code == .unknownExpressionRoot)
        #expect(parseError(["eq": ["${secret.b}", 1]])?.code == .unknownExpressionRoot)
    }

    @Test(arguments: [
        (#"{"equals": [1, 1]}"#, "tasks.t.condition.equals", #"unknown condition operator "equals""#),
        (#"{"eq": [1]}"#, "tasks.t.condition.eq", #""eq" takes a list of two operands"#),
        (#"{"gt": [1, 2, 3]}"#, "tasks.t.condition.gt", "not a list of 3"),
        (#"{"in": "abc"}"#, "tasks.t.condition.in", "not a string"),
        (#"{"and": []}"#, "tasks.t.condition.and", "non-empty list"),
        (#"{"or": true}"#, "tasks.t.condition.or", "non-empty list"),
        (#"{"not": [true, false]}"#, "tasks.t.condition.not", #""not" takes one condition"#),
        (#"{"exists": 3}"#, "tasks.t.condition.exists", #""exists" takes a path"#),
        (#"{"exists": "input.x == 1"}"#, "tasks.t.condition.exists", "expected only a path"),
        (#"{"exists": ""}"#, "tasks.t.condition.exists", "expected a path"),
        ("{}", "tasks.t.condition", "an empty object is not a condition"),
        (#"{"eq": [1, 1], "ne": [1, 2]}"#, "tasks.t.condition", "exactly one operator, found 2 (eq, ne)"),
        ("3", "tasks.t.condition", "a condition must be a string, a boolean or an object"),
        ("[true]", "tasks.t.condition", "not an array"),
        ("null", "tasks.t.condition", "not null"),
        (#"{"and": [true, {"or": [false, {"nope": 1}]}]}"#, "tasks.t.condition.and[1].or[1].nope", "unknown condition operator"),
        (#"{"and": [true, "input.x =="]}"#, "tasks.t.condition.and[1]", "expected a value"),
        (#"{"not": {"eq": ["${input.}", 1]}}"#, "tasks.t.condition.not.eq[0]", "expected a name after '.'"),
        (#"{"eq": [{"a": ["${input.}"]}, 1]}"#, "tasks.t.condition.eq[0].a[0]", "expected a name after '.'"),
    ])
    func malformedDicts(json: String, path: String, reason: String) throws {
        let error = parseError(try JSONValue.parse(json))
        #expect(error?.code == .malformedExpression, "\(json)")
        #expect(error?.path == path, "\(json)")
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
    }

    @Test func unresolvablePathsAreExpressionErrors() {
        let error = evaluationError("tasks.check.output.result == 'ok'")
        #expect(error?.code == .expressionError)
        #expect(error?.message.contains("cannot resolve tasks.check.output.result") == true)
        #expect(error?.message.contains(#"task "check" has no output"#) == true)
        let wrapped = evaluationError("${input.items[5].name} == 'a'")
        #expect(wrapped?.message == "cannot resolve ${input.items[5].name}: index 5 out of range (array has 2 elements)")
        #expect(evaluationError(["eq": ["${input.missing}", 1]])?.code == .expressionError)
        #expect(evaluationError("input.missing")?.code == .expressionError)
    }

    @Test(arguments: [
        ("input.name < 3", "cannot compare a string with an integer using '<' (in input.name < 3)"),
        ("input.count >= 'a'", "cannot compare an integer with a string using '>='"),
        ("input.flag > false", "cannot compare a boolean with a boolean using '>'; only numbers and strings can be ordered"),
        ("input.nothing < 1", "cannot compare null with an integer"),
        ("input.user.tags <= [1]", "cannot compare an array with an array"),
        ("1 in input.name", "'in' on a string needs a string to look for, not an integer"),
        ("1 in input.user", "'in' on an object needs a string key, not an integer"),
        ("1 in input.count", "'in' needs an array, a string or an object to look in, not an integer"),
        ("1 not in input.nothing", "to look in, not null"),
    ])
    func typeErrors(condition: String, message: String) {
        let error = evaluationError(.string(condition))
        #expect(error?.code == .expressionError)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }

    @Test func dictTypeErrorsQuoteTheCondition() {
        let error = evaluationError(["gt": ["${input.name}", 3]])
        #expect(error?.code == .expressionError)
        #expect(error?.message.contains(#"(in {"gt":["${input.name}",3]})"#) == true, "\(error?.message ?? "")")
        #expect(evaluationError(["contains": [3, "a"]])?.message.contains("to look in, not an integer") == true)
    }

    @Test func depthAndLengthLimits() throws {
        let deepParens = String(repeating: "(", count: 65) + "true" + String(repeating: ")", count: 65)
        #expect(parseError(.string(deepParens))?.message.contains("nested deeper than 64 levels") == true)
        let okParens = String(repeating: "(", count: 64) + "true" + String(repeating: ")", count: 64)
        #expect(try F.holds(.string(okParens)))

        let deepNot = String(repeating: "not ", count: 65) + "true"
        #expect(parseError(.string(deepNot))?.code == .malformedExpression)
        #expect(try F.holds(.string(String(repeating: "not ", count: 64) + "true")))

        let deepLists = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(parseError(.string(deepLists))?.code == .malformedExpression)

        var deepDict: JSONValue = true
        for _ in 0..<65 { deepDict = ["not": deepDict] }
        let dictError = parseError(deepDict)
        #expect(dictError?.code == .malformedExpression)
        #expect(dictError?.message.contains("nested deeper than 64 levels") == true)
        var okDict: JSONValue = true
        for _ in 0..<64 { okDict = ["not": okDict] }
        #expect(try F.holds(okDict))

        let long = "input.count == 3" + String(repeating: " or input.count == 3", count: 205)
        let lengthError = parseError(.string(long))
        #expect(lengthError?.code == .malformedExpression)
        #expect(lengthError?.message.contains("longer than 4096 characters") == true)

        // Long and/or chains are not nesting.
        let wide = "input.count == 3" + String(repeating: " or input.flag", count: 200)
        #expect(try F.holds(.string(wide)))
    }
}

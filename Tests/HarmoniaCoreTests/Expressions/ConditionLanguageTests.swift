import HarmoniaCore
import Testing

/// The string form of conditions: operators, literals, paths, precedence, truthiness.
struct ConditionLanguageTests {
    typealias F = ExpressionFixtures

    @Test(arguments: [
        ("input.count == 3", true), ("input.count != 3", false),
        ("input.count < 4", true), ("input.count <= 3", true), ("input.count > 3", false), ("input.count >= 3", true),
        ("input.count == 3.0", true), ("input.ratio < 1", true), ("input.ratio >= 0.5", true), ("-1 < input.zero", true),
        ("input.name == 'Ada'", true), ("input.name == \"Ada\"", true), ("input.name != 'ada'", true),
        ("input.name < 'Bob'", true), ("'b' > 'a'", true), ("'B' < 'a'", true), ("'é' > 'z'", true),
        ("input.nothing == null", true), ("input.flag == true", true), ("input.flag == false", false),
        ("input.user.tags == ['x', 'y']", true), ("input.user.tags == ['y', 'x']", false),
        ("input.items[1].name == 'b'", true), ("input.user.id == 7", true),
        ("tasks.check-1.result == 'pass'", true), ("tasks.check-1.output.result == 'pass'", true),
        ("tasks.fetch.status == 200", true), ("tasks.fetch.output.body.ok", true),
        ("workflow.version == 2", true), ("execution.metadata.owner == 'ops'", true), ("env.REGION == 'eu-west-1'", true),
        ("${input.count} == 3", true), ("${tasks.fetch.output.items[0]} == 1", true), ("${input.flag}", true),
        ("1e2 == 100", true), ("2.5e-1 == 0.25", true), ("9007199254740993 > 9007199254740992.0", true),
    ])
    func comparisons(condition: String, expected: Bool) throws {
        #expect(try F.holds(.string(condition)) == expected, "\(condition)")
    }

    @Test(arguments: [
        ("'x' in input.user.tags", true), ("'z' in input.user.tags", false), ("'z' not in input.user.tags", true),
        ("'d' in input.name", true), ("'da' in input.name", true), ("'' in input.name", true), ("'A' in 'a'", false),
        ("'id' in input.user", true), ("'ID' in input.user", false), ("'ID' not in input.user", true),
        ("input.count in [1, 2, 3]", true), ("3.0 in [1, 2, 3]", true), ("input.name in ['Ada', 'Bob']", true),
        ("input.name in [input.name]", true), ("[1, 2] in [[1, 2], 3]", true), ("input.count not in []", true),
    ])
    func membership(condition: String, expected: Bool) throws {
        #expect(try F.holds(.string(condition)) == expected, "\(condition)")
    }

    @Test(arguments: [
        ("input.flag", true), ("input.nothing", false), ("input.zero", false), ("input.count", true),
        ("input.empty", false), ("input.name", true), ("input.list", false), ("input.map", false),
        ("input.user", true), ("input.items", true), ("input.ratio", true), ("true", true), ("false", false),
        ("null", false), ("0", false), ("0.0", false), ("1", true), ("''", false), ("'a'", true), ("[]", false),
        ("[0]", true), ("tasks.empty_out", false), ("tasks.fetch", true),
    ])
    func truthiness(condition: String, expected: Bool) throws {
        #expect(try F.holds(.string(condition)) == expected, "\(condition)")
    }

    @Test(arguments: [
        // not binds tighter than and, which binds tighter than or.
        ("not false and false or true", true), ("not false and false", false), ("not (false and false)", true),
        ("not true or true", true), ("not (true or true)", false), ("true or false and false", true),
        ("(true or false) and false", false), ("false and true or true", true),
        // not applies to a whole comparison.
        ("not input.count == 4", true), ("not not input.flag", true),
        ("input.count == 3 and input.name == 'Ada'", true), ("input.count == 4 or input.name == 'Ada'", true),
        ("(input.count == 3) == true", true), ("(input.count > 5) == false", true),
        // Synonyms.
        ("!input.flag", false), ("input.flag && input.count == 3", true), ("input.zero || input.flag", true),
        ("!(input.zero || input.nothing)", true), ("input.flag&&!input.zero", true),
    ])
    func precedenceAndSynonyms(condition: String, expected: Bool) throws {
        #expect(try F.holds(.string(condition)) == expected, "\(condition)")
    }

    @Test func andOrShortCircuit() throws {
        // The right-hand sides would fail to resolve if they were evaluated.
        #expect(try F.holds("false and input.missing == 1") == false)
        #expect(try F.holds("true or input.missing == 1") == true)
        #expect(try F.holds("input.flag or tasks.nope.x") == true)
    }

    @Test func quotedStringsMayHoldReferences() throws {
        #expect(try F.holds(#""${input.count}" == 3"#))
        #expect(try F.holds(#""n=${input.count}" == 'n=3'"#))
        // `$${` is a literal: the missing key would fail if it were resolved.
        #expect(try F.holds(#"'$${input.missing}' == "$${input.missing}""#))
        #expect(try F.holds(#"'a\'b' == "a'b""#))
        #expect(try F.holds(#"'tab\there' != 'tab here'"#))
    }

    @Test func listsMayHoldPathsAndExpressions() throws {
        #expect(try F.holds("[input.count, input.name] == [3, 'Ada']"))
        #expect(try F.holds("[1, 2,] == [1, 2]"))
        #expect(try F.holds("[(1 == 1), 'a'] == [true, 'a']"))
    }

    @Test func whitespaceIsFree() throws {
        #expect(try F.holds("  input.count==3\n and\tinput.flag  "))
        #expect(try F.holds("input.count>=3"))
    }

    @Test func booleansAreConditions() throws {
        #expect(try F.holds(true))
        #expect(try F.holds(false) == false)
    }

    @Test func referencesAreListedInOrder() throws {
        let condition = try Condition.parse(
            "tasks.check.result == 'ok' and ${input.x} in [tasks.a.output.y, 'z'] or \"${env.REGION}-1\" == ''",
            path: "c")
        #expect(condition.references.map(\.text) == [
            "tasks.check.result", "${input.x}", "tasks.a.output.y", "${env.REGION}",
        ])
        #expect(condition.references.compactMap(\.taskID) == ["check", "a"])
        #expect(condition.references[0].segments == [.key("check"), .key("result")])
        #expect(condition.references[2].segments == [.key("a"), .key("y")])
    }

    @Test func parsedConditionsAreComparableValues() throws {
        let a = try Condition.parse("input.x == 1", path: "a")
        let b = try Condition.parse("input.x == 1", path: "b")
        let c = try Condition.parse("input.x == 2", path: "a")
        #expect(a == b)
        #expect(a != c)
        #expect(Set([a, b, c]).count == 2)
    }
}

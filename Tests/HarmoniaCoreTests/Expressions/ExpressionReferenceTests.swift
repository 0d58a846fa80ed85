import HarmoniaCore
import Testing

/// Parsing `${...}` without resolving: the forms, the canonical shape, and syntax errors.
struct ExpressionReferenceTests {
    typealias F = ExpressionFixtures

    @Test func parsesEveryRoot() throws {
        for root in ["input", "workflow", "execution"] {
            let reference = try #require(try F.reference("${\(root).a}"))
            #expect(reference.root == root)
            #expect(reference.segments == [.key("a")])
            #expect(reference.taskID == nil)
        }
        let env = try #require(try F.reference("${env.REGION}"))
        #expect(env.root == "env" && env.segments == [.key("REGION")])
        #expect(Expressions.roots == ["input", "tasks", "workflow", "execution", "env", "item", "index"])
    }

    @Test func wholeRootHasNoSegments() throws {
        let reference = try #require(try F.reference("${input}"))
        #expect(reference.root == "input" && reference.segments.isEmpty)
    }

    @Test func taskReferencesDropTheOutputSegment() throws {
        let long = try #require(try F.reference("${tasks.a.output.result}"))
        let short = try #require(try F.reference("${tasks.a.result}"))
        #expect(long.segments == [.key("a"), .key("result")])
        #expect(short.segments == long.segments)
        #expect(long.taskID == "a")
        #expect(long.text == "${tasks.a.output.result}")
        #expect(short.text == "${tasks.a.result}")
        #expect(try F.reference("${tasks.a}")?.segments == [.key("a")])
        #expect(try F.reference("${tasks.a.output}")?.segments == [.key("a")])
        // Only the segment right after the id is dropped.
        #expect(try F.reference("${tasks.a.output.output}")?.segments == [.key("a"), .key("output")])
        #expect(try F.reference("${tasks.a.x.output}")?.segments == [.key("a"), .key("x"), .key("output")])
    }

    @Test func taskIDsMayHoldDigitsUnderscoresAndHyphens() throws {
        let reference = try #require(try F.reference("${tasks.check-1_b2.output.x}"))
        #expect(reference.taskID == "check-1_b2")
    }

    @Test func indexesAndQuotedKeys() throws {
        let reference = try #require(try F.reference(#"${input.items[0].name["a b"]['c\'d'][12]}"#))
        #expect(reference.segments == [.key("items"), .index(0), .key("name"), .key("a b"), .key("c'd"), .index(12)])
        let rootBracket = try #require(try F.reference(#"${input["key with spaces"]}"#))
        #expect(rootBracket.segments == [.key("key with spaces")])
        let bracketTask = try #require(try F.reference(#"${tasks["fetch"]["output"].x}"#))
        #expect(bracketTask.taskID == "fetch" && bracketTask.segments == [.key("fetch"), .key("x")])
    }

    @Test func spacesInsideTheBracesAreAllowed() throws {
        let reference = try #require(try F.reference("${ input.a[ 1 ] }"))
        #expect(reference.segments == [.key("a"), .index(1)])
    }

    @Test func collectsEveryReferenceInDocumentOrder() throws {
        let value: JSONValue = [
            "b": ["${input.x} and ${tasks.t.y}", "plain"],
            "a": "${env.REGION}",
            "${input.key}": "keys are not expressions",
            "n": 3,
        ]
        let references = try Expressions.references(in: value, path: "tasks.b.input")
        #expect(references.map(\.text) == ["${env.REGION}", "${input.x}", "${tasks.t.y}"])
    }

    @Test func escapedOpeningsAreNotReferences() throws {
        #expect(try Expressions.references(in: "cost: $${input.x} $5 $", path: "p").isEmpty)
    }

    @Test(arguments: [
        ("${input.}", 9, "expected a name after '.'"),
        ("${input", 1, "missing '}'"),
        ("${input.a", 1, "missing '}'"),
        ("${}", 3, "expected a root"),
        ("${input.a b}", 11, "unexpected 'b', expected '}'"),
        ("${input[}", 9, "expected an index or a quoted key"),
        ("${input[0}", 10, "expected ']'"),
        ("${input[-1]}", 9, "cannot be negative"),
        ("${input['a]}", 9, "missing closing '"),
        ("${input..a}", 9, "expected a name after '.'"),
        ("${tasks}", 1, "expected a task id after 'tasks'"),
        ("${tasks[0]}", 1, "expected a task id after 'tasks'"),
        ("${env}", 1, "env takes exactly one name"),
        ("${env.A.b}", 1, "env takes exactly one name"),
        ("${input[99999999999999999]}", 9, "too large"),
    ])
    func malformedReferencesSayWhatAndWhere(text: String, column: Int, reason: String) {
        let error = #expect(throws: HarmoniaError.self) {
            try Expressions.references(in: ["url": .string(text)], path: "tasks.b.input")
        }
        #expect(error?.code == .malformedExpression)
        #expect(error?.path == "tasks.b.input.url")
        #expect(error?.message.contains("column \(column)") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
        #expect(error?.message.contains(text) == true)
    }

    @Test func columnsCountCharactersNotBytes() {
        let error = #expect(throws: HarmoniaError.self) { try F.reference("héllo ${input.}") }
        #expect(error?.message.contains("column 15") == true, "\(error?.message ?? "")")
    }

    @Test func unknownRootIsItsOwnCode() {
        let error = #expect(throws: HarmoniaError.self) {
            try Expressions.references(in: ["a": ["Hi ${secrets.token}"]], path: "tasks.b.input")
        }
        #expect(error?.code == .unknownExpressionRoot)
        #expect(error?.path == "tasks.b.input.a[0]")
        #expect(error?.message.contains("\"secrets\"") == true)
        #expect(error?.message.contains("column 6") == true)
    }

    @Test func errorPathsQuoteUnusualKeys() {
        let error = #expect(throws: HarmoniaError.self) {
            try Expressions.references(in: ["a b": "${input.}"], path: "")
        }
        #expect(error?.path == #"["a b"]"#)
    }

    @Test func longAndDeepReferencesAreRejected() {
        let long = "${input." + String(repeating: "a", count: 5000) + "}"
        let tooLong = #expect(throws: HarmoniaError.self) { try F.reference(long) }
        #expect(tooLong?.code == .malformedExpression)
        #expect(tooLong?.message.contains("longer than 4096") == true)

        let deep = "${input" + String(repeating: ".a", count: 65) + "}"
        let tooDeep = #expect(throws: HarmoniaError.self) { try F.reference(deep) }
        #expect(tooDeep?.code == .malformedExpression)
        #expect(tooDeep?.message.contains("deeper than 64") == true)

        let ok = "${input" + String(repeating: ".a", count: 64) + "}"
        #expect(throws: Never.self) { try F.reference(ok) }
    }
}

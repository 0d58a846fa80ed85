import HarmoniaCore
import Testing

/// Every way a reference can fail to resolve: always an `expression_error` naming the
/// reference and the failing segment, never a silent null.
struct ExpressionResolveErrorTests {
    typealias F = ExpressionFixtures

    private func failure(_ value: JSONValue) -> HarmoniaError? {
        #expect(throws: HarmoniaError.self) { try Expressions.resolve(value, in: F.context) }
    }

    @Test func indexOutOfRange() {
        let error = failure("${tasks.fetch.output.items[3]}")
        #expect(error?.code == .expressionError)
        #expect(error?.message == "cannot resolve ${tasks.fetch.output.items[3]}: index 3 out of range (array has 2 elements)")
        #expect(failure("${input.user.tags[2]}")?.message.contains("index 2 out of range (array has 2 elements)") == true)
    }

    @Test func missingKeyNamesTheKeyAndWhereItWasLooked() {
        let error = failure("${input.user.nmae}")
        #expect(error?.code == .expressionError)
        #expect(error?.message == #"cannot resolve ${input.user.nmae}: no key "nmae" in input.user (it has: id, tags)"#)
        let inTask = failure("${tasks.fetch.body.missing}")
        #expect(inTask?.message.contains(#"no key "missing" in tasks.fetch.output.body"#) == true)
        let empty = failure("${tasks.empty_out.x}")
        #expect(empty?.message.contains("(the object is empty)") == true)
        let quoted = failure(#"${input["no such"]}"#)
        #expect(quoted?.message.contains(#"no key "no such" in input "#) == true)
    }

    @Test func indexingSomethingThatIsNotAnArray() {
        let error = failure("${input.name[0]}")
        #expect(error?.message == "cannot resolve ${input.name[0]}: input.name is a string, not an array")
        #expect(failure("${input.user[0]}")?.message.contains("input.user is an object, not an array") == true)
    }

    @Test func keyOnSomethingThatIsNotAnObject() {
        let error = failure("${input.count.value}")
        #expect(error?.message == "cannot resolve ${input.count.value}: input.count is an integer, not an object")
        let hint = failure("${input.items.0}")
        #expect(hint?.message.contains("input.items is an array, not an object (index arrays with [0])") == true)
        #expect(failure("${input.nothing.x}")?.message.contains("input.nothing is null, not an object") == true)
    }

    @Test func unknownTaskOutput() {
        let error = failure("${tasks.deploy.output.url}")
        #expect(error?.code == .expressionError)
        #expect(error?.message.contains("${tasks.deploy.output.url}") == true)
        #expect(error?.message.contains(#"task "deploy" has no output"#) == true)
    }

    @Test func envNameNotOnTheAllowList() {
        let error = failure("${env.HOME}")
        #expect(error?.code == .expressionError)
        #expect(error?.message == #"cannot resolve ${env.HOME}: environment variable "HOME" is not on the allow-list"#)
    }

    @Test func embeddedReferencesFailToo() {
        let error = failure("Hello ${input.missing}!")
        #expect(error?.code == .expressionError)
        #expect(error?.message.contains("${input.missing}") == true)
    }

    @Test func errorsCarryTheLocationInsideTheValue() {
        #expect(failure(["headers": ["auth": "${input.x}"]])?.path == "headers.auth")
        #expect(failure(["list": [1, "${input.x}"]])?.path == "list[1]")
        #expect(failure([["a": "${input.x}"]])?.path == "[0].a")
        #expect(failure("${input.x}")?.path == nil)
    }

    @Test func malformedExpressionsFailAtResolveTime() {
        let error = failure(["a": "${input.}"])
        #expect(error?.code == .malformedExpression)
        #expect(error?.path == "a")
        #expect(failure("${nope.x}")?.code == .unknownExpressionRoot)
    }
}

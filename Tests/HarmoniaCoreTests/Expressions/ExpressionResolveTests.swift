import HarmoniaCore
import Testing

/// Resolution: type preservation, splicing, escapes, indexing, recursion.
struct ExpressionResolveTests {
    typealias F = ExpressionFixtures

    @Test func wholeStringKeepsItsType() throws {
        #expect(try F.resolve("${input.count}") == .integer(3))
        #expect(try F.resolve("${input.ratio}") == .double(0.5))
        #expect(try F.resolve("${input.flag}") == .bool(true))
        #expect(try F.resolve("${input.nothing}") == .null)
        #expect(try F.resolve("${input.name}") == "Ada")
        #expect(try F.resolve("${input.user}") == ["id": 7, "tags": ["x", "y"]])
        #expect(try F.resolve("${input.user.tags}") == ["x", "y"])
        #expect(try F.resolve("${ input.count }") == .integer(3))
    }

    @Test func everyRoot() throws {
        #expect(try F.resolve("${input}") == F.context.input)
        #expect(try F.resolve("${workflow.name}") == "build")
        #expect(try F.resolve("${workflow.version}") == 2)
        #expect(try F.resolve("${execution.id}") == "exec-9")
        #expect(try F.resolve("${execution.metadata.owner}") == "ops")
        #expect(try F.resolve("${env.REGION}") == "eu-west-1")
    }

    @Test func taskOutputsInBothForms() throws {
        #expect(try F.resolve("${tasks.fetch.output.status}") == 200)
        #expect(try F.resolve("${tasks.fetch.status}") == 200)
        #expect(try F.resolve("${tasks.fetch.output.items[1]}") == 2)
        #expect(try F.resolve("${tasks.fetch.items[1]}") == 2)
        #expect(try F.resolve("${tasks.check-1.result}") == "pass")
        let whole = try #require(F.context.taskOutputs["fetch"])
        #expect(try F.resolve("${tasks.fetch}") == whole)
        #expect(try F.resolve("${tasks.fetch.output}") == whole)
        #expect(try F.resolve("${tasks.fetch.output.output}") == "inner")
    }

    @Test func indexingAndQuotedKeys() throws {
        #expect(try F.resolve("${input.items[0].name}") == "a")
        #expect(try F.resolve("${input.items[1]}") == ["name": "b"])
        #expect(try F.resolve(#"${input["key with spaces"]}"#) == "spaced")
        #expect(try F.resolve("${input['user']['tags'][1]}") == "y")
    }

    @Test func embeddedReferencesAreSplicedAsText() throws {
        #expect(try F.resolve("Hello ${input.name}!") == "Hello Ada!")
        #expect(try F.resolve("n=${input.count} r=${input.ratio} f=${input.flag} z=${input.nothing}")
            == "n=3 r=0.5 f=true z=null")
        #expect(try F.resolve("user: ${input.user}") == #"user: {"id":7,"tags":["x","y"]}"#)
        #expect(try F.resolve("tags ${input.user.tags}") == #"tags ["x","y"]"#)
        #expect(try F.resolve("${input.name}${input.count}") == "Ada3")
        #expect(try F.resolve(" ${input.count}") == " 3")
        #expect(try F.resolve("${input.count} ") == "3 ")
        #expect(try F.resolve("é ${input.name} ü") == "é Ada ü")
    }

    @Test func dollarDollarBraceIsALiteralOpening() throws {
        #expect(try F.resolve("$${input.name}") == "${input.name}")
        #expect(try F.resolve("a $${x} b ${input.name}") == "a ${x} b Ada")
        #expect(try F.resolve("$$${input.name}") == "$${input.name}")
        #expect(try F.resolve("costs $5, $$ and $") == "costs $5, $$ and $")
        #expect(try F.resolve("{$}") == "{$}")
    }

    @Test func valuesWithoutExpressionsAreUntouched() throws {
        let value: JSONValue = ["a": [1, 2.5, true, nil, "plain $ text {}"], "b": ["c": "d"]]
        #expect(try Expressions.resolve(value, in: F.context) == value)
        #expect(try Expressions.resolve(7, in: F.context) == 7)
        #expect(try Expressions.resolve("", in: F.context) == "")
    }

    @Test func walksObjectsAndArraysButNotKeys() throws {
        let value: JSONValue = [
            "url": "https://api/${input.user.id}",
            "count": "${input.count}",
            "list": ["${input.name}", 1, ["${input.flag}"]],
            "${input.name}": "key stays",
        ]
        let expected: JSONValue = [
            "url": "https://api/7",
            "count": 3,
            "list": ["Ada", 1, [true]],
            "${input.name}": "key stays",
        ]
        #expect(try Expressions.resolve(value, in: F.context) == expected)
    }

    @Test func nullMembersResolveToNull() throws {
        #expect(try Expressions.resolve(["x": "${input.nothing}"], in: F.context) == ["x": nil])
    }

    @Test func contextDefaultsAreEmpty() throws {
        let empty = ExpressionContext()
        #expect(try Expressions.resolve("${input}", in: empty) == .emptyObject)
        #expect(try Expressions.resolve("${workflow}", in: empty) == .emptyObject)
        #expect(try Expressions.resolve("${execution}", in: empty) == .emptyObject)
    }
}

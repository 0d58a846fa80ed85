import Testing

@testable import HarmoniaCore

struct ParameterPlaceholdersTests {
    typealias P = ParameterPlaceholders

    @Test func stringsWithoutParameterReferencesAreNotTemplates() {
        #expect(P.scan("plain") == nil)
        #expect(P.scan("${input.x} and ${tasks.a.output.result}") == nil)
        #expect(P.scan("$${params.x} is an escape") == nil)
        #expect(P.scan("${paramsX} is another root") == nil)
        #expect(P.scan("") == nil)
    }

    @Test func wholeAndEmbeddedPlaceholders() throws {
        let whole = try #require(P.scan("${params.count}"))
        #expect(whole.wholeName == "count")
        let spaced = try #require(P.scan("${ param.count }"))
        #expect(spaced.wholeName == "count")
        let embedded = try #require(P.scan("a ${params.x}-${param.y_2} ${input.z}"))
        #expect(embedded.wholeName == nil)
        #expect(embedded.pieces == [.text("a "), .parameter("x"), .text("-"), .parameter("y_2"), .text(" ${input.z}")])
        #expect(embedded.malformed.isEmpty)
    }

    @Test func malformedParameterReferencesAreReported() throws {
        for text in ["${params}", "${params.a.b}", "${param.}", "${params.1x}", "${params[0]}", "${params.a"] {
            let scan = try #require(P.scan(text), "\(text)")
            #expect(scan.names.isEmpty, "\(text)")
            #expect(scan.malformed.count == 1, "\(text)")
        }
    }

    @Test func substitutionKeepsWholeValueTypesAndSplicesEmbeddedOnes() {
        let definition: JSONValue = [
            "n": "${params.n}", "flag": "${params.flag}", "list": ["${params.list}", "x"],
            "text": "n=${params.n}, list=${params.list}, s=${params.s}, none=${params.none}",
            "runtime": "${input.a} ${tasks.t.output.b} $${params.n}",
        ]
        var problems = ProblemList()
        let values: [String: JSONValue] = ["n": 3, "flag": true, "list": [1, "two"], "s": "str", "none": nil]
        let result = P.substitute(definition, values: values, path: "", problems: &problems)
        #expect(problems.isEmpty)
        #expect(result["n"] == 3)
        #expect(result["flag"] == true)
        #expect(result["list"] == [[1, "two"], "x"])
        #expect(result["text"] == #"n=3, list=[1,"two"], s=str, none=null"#)
        #expect(result["runtime"] == "${input.a} ${tasks.t.output.b} $${params.n}")
    }

    @Test func valuesAreDataNotExpressions() {
        var problems = ProblemList()
        let values: [String: JSONValue] = ["v": "${env.SECRET}", "o": ["k": "${input.x}"]]
        let result = P.substitute(
            ["whole": "${params.v}", "embedded": "say ${params.v}", "object": "${params.o}"], values: values, path: "",
            problems: &problems)
        #expect(result["whole"] == "$${env.SECRET}")
        #expect(result["embedded"] == "say $${env.SECRET}")
        #expect(result["object"] == ["k": "$${input.x}"])
    }

    @Test func keysAreSubstitutedAndCollisionsReported() {
        var problems = ProblemList()
        let result = P.substitute(
            ["tasks": ["${params.prefix}-fetch": ["action": "noop"]]], values: ["prefix": "eu"], path: "", problems: &problems)
        #expect(result["tasks"]?["eu-fetch"] == ["action": "noop"])
        #expect(problems.isEmpty)

        _ = P.substitute(["${params.a}": 1, "x": 2], values: ["a": "x"], path: "", problems: &problems)
        #expect(problems.count == 1)
        #expect(problems.error?.code == .invalidParameters)
    }

    @Test func referencesCarryTheirPaths() {
        let (found, malformed) = P.references(
            in: ["tasks": ["a": ["input": ["m": "${params.x}", "l": ["${params.y} ${params.x}"]]]], "${params.k}": "${params.z.w}"],
            path: "definition")
        #expect(found.map(\.name) == ["k", "y", "x", "x"])
        #expect(found.first?.path == #"definition["${params.k}"]"#)
        #expect(found.contains(.init(name: "y", path: "definition.tasks.a.input.l[0]")))
        #expect(malformed.map(\.name) == ["${params.z.w}"])
    }
}

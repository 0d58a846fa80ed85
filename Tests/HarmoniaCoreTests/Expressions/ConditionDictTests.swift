import HarmoniaCore
import Testing

/// The dict form of conditions: `{"eq": [a, b]}` and friends.
struct ConditionDictTests {
    typealias F = ExpressionFixtures

    @Test(arguments: [
        (#"{"eq": ["${input.count}", 3]}"#, true), (#"{"eq": ["${input.count}", 3.0]}"#, true),
        (#"{"eq": ["${input.name}", "Ada"]}"#, true), (#"{"ne": ["${input.name}", "Ada"]}"#, false),
        (#"{"gt": ["${input.count}", 2]}"#, true), (#"{"gte": ["${input.count}", 3]}"#, true),
        (#"{"lt": ["${input.ratio}", 0.5]}"#, false), (#"{"lte": ["${input.ratio}", 0.5]}"#, true),
        (#"{"gt": ["b", "a"]}"#, true),
        (#"{"in": ["x", "${input.user.tags}"]}"#, true), (#"{"not_in": ["x", "${input.user.tags}"]}"#, false),
        (#"{"in": ["${input.count}", [1, 2, 3]]}"#, true), (#"{"in": ["id", "${input.user}"]}"#, true),
        (#"{"contains": ["${input.user.tags}", "y"]}"#, true), (#"{"contains": ["${input.name}", "Ad"]}"#, true),
        (#"{"contains": ["${input.name}", "z"]}"#, false),
        (#"{"eq": ["${input.user}", {"id": 7, "tags": ["x", "y"]}]}"#, true),
        (#"{"eq": [["${input.count}", "${input.name}"], [3, "Ada"]]}"#, true),
        (#"{"eq": [{"n": "${input.count}"}, {"n": 3}]}"#, true),
        (#"{"eq": ["Hi ${input.name}", "Hi Ada"]}"#, true),
        (#"{"eq": ["$${input.missing}", "$${input.missing}"]}"#, true),
        (#"{"eq": ["input.name", "Ada"]}"#, false),  // a string without ${ is a literal, not a path
        (#"{"eq": [null, "${input.nothing}"]}"#, true), (#"{"eq": ["${tasks.fetch.status}", 200]}"#, true),
        (#"{"eq": ["${tasks.fetch.output.status}", 200]}"#, true),
    ])
    func comparisons(json: String, expected: Bool) throws {
        #expect(try F.holds(try JSONValue.parse(json)) == expected, "\(json)")
    }

    @Test func combinators() throws {
        #expect(try F.holds(["and": [["eq": ["${input.count}", 3]], "input.flag", true]]))
        #expect(try F.holds(["and": [["eq": ["${input.count}", 3]], false]]) == false)
        #expect(try F.holds(["or": [false, ["gt": ["${input.count}", 2]]]]))
        #expect(try F.holds(["or": [false, "input.zero"]]) == false)
        #expect(try F.holds(["not": ["eq": ["${input.count}", 4]]]))
        #expect(try F.holds(["not": [["eq": ["${input.count}", 3]]]]) == false)
        #expect(try F.holds(["not": "input.flag"]) == false)
        #expect(try F.holds(["not": false]))
    }

    @Test func combinatorsShortCircuit() throws {
        #expect(try F.holds(["and": [false, ["eq": ["${input.missing}", 1]]]]) == false)
        #expect(try F.holds(["or": [true, ["eq": ["${input.missing}", 1]]]]))
    }

    @Test func exists() throws {
        #expect(try F.holds(["exists": "input.name"]))
        #expect(try F.holds(["exists": "${input.name}"]))
        #expect(try F.holds(["exists": "input.nothing"]))  // present with a null value
        #expect(try F.holds(["exists": "input.missing"]) == false)
        #expect(try F.holds(["exists": "input.items[5]"]) == false)
        #expect(try F.holds(["exists": "tasks.fetch.output.items[1]"]))
        #expect(try F.holds(["exists": "tasks.nope.x"]) == false)
        #expect(try F.holds(["exists": "env.HOME"]) == false)
        #expect(try F.holds(["not": ["exists": "${tasks.fetch.body.missing}"]]))
    }

    @Test func referencesCoverOperandsAndNestedConditions() throws {
        let condition = try Condition.parse(
            ["and": [
                ["eq": ["${tasks.a.output.x}", ["k": "${input.k}"]]],
                "tasks.b.ok",
                ["exists": "tasks.c.output.y"],
                ["contains": ["${input.list}", "n ${env.REGION}"]],
            ]],
            path: "tasks.d.condition")
        #expect(condition.references.map(\.text) == [
            "${tasks.a.output.x}", "${input.k}", "tasks.b.ok", "tasks.c.output.y", "${input.list}", "${env.REGION}",
        ])
        #expect(condition.references.compactMap(\.taskID) == ["a", "b", "c"])
    }
}

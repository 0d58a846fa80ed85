import HarmoniaPluginKit
import Testing

@Suite(.timeLimit(.minutes(1)))
struct InputSchemaCheckTests {
    static let schema: PluginJSON = [
        "type": "object", "required": ["name", "limit"], "additionalProperties": false,
        "properties": [
            "name": ["type": "string", "minLength": 1, "pattern": "^[A-Za-z0-9_]+$"],
            "limit": ["type": "integer", "minimum": 1, "maximum": 100],
            "kind": ["enum": ["a", "b"]],
            "command": ["anyOf": [["type": "string"], ["type": "array", "items": ["type": "string"], "minItems": 1]]],
        ],
    ]

    @Test func aFittingInputHasNoProblems() {
        #expect(InputSchemaCheck.problems(["name": "ok_1", "limit": 100, "kind": "a", "command": ["ls"]], against: Self.schema).isEmpty)
        #expect(InputSchemaCheck.problems(["name": "x", "limit": 1.0, "command": "ls"], against: Self.schema).isEmpty)
    }

    @Test func everyProblemIsNamedWithItsPlace() {
        let problems = InputSchemaCheck.problems(
            ["name": "my agent", "limit": 101, "kind": "c", "command": [1], "extra": true], against: Self.schema)
        #expect(problems.contains("input.name must match ^[A-Za-z0-9_]+$"))
        #expect(problems.contains("input.limit must be at most 100"))
        #expect(problems.contains(#"input.kind must be one of "a", "b""#))
        #expect(problems.contains { $0.hasPrefix("input.command must be string") })
        #expect(problems.contains { $0.hasPrefix("input.extra is not accepted") })
        #expect(InputSchemaCheck.problems(["limit": 2.5], against: Self.schema) == [
            "input.name is required", "input.limit must be integer, not a number",
        ])
    }

    @Test func otherMembersAreCheckedAgainstAnAdditionalPropertiesSchema() {
        let environment: PluginJSON = ["type": "object", "additionalProperties": ["type": ["string", "number"]]]
        #expect(InputSchemaCheck.problems(["A": "x", "B": 2], against: environment).isEmpty)
        #expect(InputSchemaCheck.problems(["A": "x", "B": ["c": 1]], against: environment) == ["input.B must be string or number, not an object"])
    }
}

@Suite(.timeLimit(.minutes(1)))
struct ValidationAnswerTests {
    @Test func fastAPIs422KeepsItsFieldList() throws {
        let body = #"{"detail": [{"type": "missing", "loc": ["body", "start_date"], "msg": "Field required", "input": {}}, "#
            + #"{"type": "value_error", "loc": ["body", "end_date"], "msg": "Value error, end_date must be after start_date"}]}"#
        let error = try #require(
            AdapterError.normalizing(HostHTTPResponse(status: 422, body: Array(body.utf8)), component: "prometheus", action: "create_plan"))
        #expect(error.code == "unprocessable_request")
        #expect(
            error.message
                == "prometheus answered HTTP 422 to create_plan: start_date: Field required; end_date: Value error, end_date must be after start_date")
        #expect(error.details?["fields"]?[0] == ["field": "start_date", "message": "Field required", "type": "missing"])
    }
}

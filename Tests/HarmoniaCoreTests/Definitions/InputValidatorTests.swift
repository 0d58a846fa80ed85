import HarmoniaCore
import Testing

struct InputValidatorTests {
    typealias F = DefinitionFixtures

    private func problems(_ input: JSONValue, _ schema: JSONValue?) -> HarmoniaError? {
        F.error { try InputValidator.validate(input, against: schema) }
    }

    @Test func inputMustBeAnObject() {
        let error = problems([1, 2], nil)
        #expect(error?.code == .invalidInput)
        #expect(error?.message == "input must be a JSON object, got array")
        #expect(error?.path == "input")
    }

    @Test func anyObjectPassesWithoutASchema() throws {
        try InputValidator.validate(["anything": [1, "x"]], against: nil)
        try InputValidator.validate(.emptyObject, against: .emptyObject)
    }

    @Test func typesPropertiesAndRequired() throws {
        let schema: JSONValue = [
            "type": "object",
            "properties": [
                "name": ["type": "string", "minLength": 2, "maxLength": 5, "pattern": "^[a-z]+$"],
                "count": ["type": "integer", "minimum": 1, "maximum": 10],
                "ratio": ["type": "number"],
                "mode": ["enum": ["fast", "slow"]],
                "tags": ["type": "array", "items": ["type": "string"], "maxItems": 3],
                "maybe": ["type": ["string", "null"]],
            ],
            "required": ["name", "count"],
        ]
        try InputValidator.validate(
            ["name": "abc", "count": 3, "ratio": 1, "mode": "fast", "tags": ["a"], "maybe": nil, "extra": true],
            against: schema)
        try InputValidator.validate(["name": "ab", "count": 3.0], against: schema)

        let error = problems(
            ["name": "ABCDEFG", "ratio": "x", "mode": "medium", "tags": ["a", 2, "c", "d"], "maybe": 1],
            schema)
        #expect(error?.code == .invalidInput)
        #expect(F.has(error, .invalidInput, at: "input.count"))  // required
        #expect(F.has(error, .invalidInput, at: "input.name"))  // too long and not matching
        #expect(F.has(error, .invalidInput, at: "input.ratio"))
        #expect(F.has(error, .invalidInput, at: "input.mode"))
        #expect(F.has(error, .invalidInput, at: "input.tags"))  // too many
        #expect(F.has(error, .invalidInput, at: "input.tags[1]"))
        #expect(F.has(error, .invalidInput, at: "input.maybe"))
        #expect(error?.problems.count == 8)
    }

    @Test func integerIsNotAnyNumber() {
        let schema: JSONValue = ["properties": ["n": ["type": "integer"]]]
        let error = problems(["n": 1.5], schema)
        #expect(error?.message == "input.n must be integer, got number")
    }

    @Test func numericBounds() {
        let schema: JSONValue = [
            "type": "object",
            "properties": ["a": ["minimum": 0], "b": ["exclusiveMaximum": 10], "c": ["maximum": 5, "exclusiveMaximum": true]],
        ]
        let error = problems(["a": -1, "b": 10, "c": 5], schema)
        #expect(error?.problems.map(\.path) == ["input.a", "input.b", "input.c"])
        #expect(error?.problems.first?.message == "input.a must be at least 0, got -1")
    }

    @Test func additionalPropertiesFalse() {
        let schema: JSONValue = ["type": "object", "properties": ["a": [:]], "additionalProperties": false]
        let error = problems(["a": 1, "b": 2, "c": 3], schema)
        #expect(error?.problems.map(\.path) == ["input.b", "input.c"])
    }

    @Test func nestedPathsAndArraysOfObjects() {
        let schema: JSONValue = [
            "type": "object",
            "properties": [
                "items": ["type": "array", "items": ["type": "object", "required": ["id"], "properties": ["id": ["type": "integer"]]]]
            ],
        ]
        let error = problems(["items": [["id": 1], ["id": "2"], [:]]], schema)
        #expect(error?.problems.map(\.path) == ["input.items[1].id", "input.items[2].id"])
    }

    @Test func tektonShorthand() throws {
        let schema: JSONValue = [
            "repo": ["type": "string", "required": true],
            "depth": ["type": "int", "default": 1],
        ]
        try InputValidator.validate(["repo": "x"], against: schema)
        try InputValidator.validate(["repo": "x", "depth": 3, "other": true], against: schema)
        let error = problems(["depth": "deep"], schema)
        #expect(error?.problems.map(\.path) == ["input.repo", "input.depth"])
        #expect(error?.message.hasPrefix("input.repo is required") == true)
    }

    @Test func enumComparesNumbersByValue() throws {
        try InputValidator.validate(["n": 1.0], against: ["properties": ["n": ["enum": [1, 2]]]])
    }

    @Test func schemaProblemsAreFoundUpFront() {
        let found = InputValidator.schemaProblems(
            ["type": "object", "properties": ["a": ["type": "text?"], "b": ["pattern": "(", "minLength": -1]]],
            path: "input_schema")
        #expect(found.map(\.path) == [
            "input_schema.properties.a.type", "input_schema.properties.b.minLength", "input_schema.properties.b.pattern",
        ])
        #expect(InputValidator.schemaProblems(["who": ["type": "string", "required": true]], path: "s").isEmpty)
    }
}

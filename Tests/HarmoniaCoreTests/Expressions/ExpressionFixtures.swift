import HarmoniaCore

/// The context every expression test resolves against.
enum ExpressionFixtures {
    static let context = ExpressionContext(
        input: [
            "name": "Ada", "count": 3, "ratio": 0.5, "flag": true, "nothing": nil, "empty": "",
            "items": [["name": "a"], ["name": "b"]],
            "user": ["id": 7, "tags": ["x", "y"]],
            "key with spaces": "spaced",
            "zero": 0, "list": [], "map": [:],
        ],
        taskOutputs: [
            "fetch": ["items": [1, 2], "status": 200, "body": ["ok": true], "output": "inner"],
            "check-1": ["result": "pass", "score": 0.75],
            "empty_out": [:],
        ],
        workflow: ["id": "wf-1", "name": "build", "version": 2],
        execution: ["id": "exec-9", "metadata": ["owner": "ops"]],
        env: ["REGION": "eu-west-1"])

    /// Resolves one string against `context`.
    static func resolve(_ text: String) throws -> JSONValue {
        try Expressions.resolve(.string(text), in: context)
    }

    /// The single reference parsed from `text`.
    static func reference(_ text: String) throws -> ExpressionReference? {
        try Expressions.references(in: .string(text), path: "x").first
    }

    /// Parses and evaluates a condition against `context`.
    static func holds(_ condition: JSONValue) throws -> Bool {
        try Condition.parse(condition, path: "tasks.t.condition").evaluate(in: context)
    }
}

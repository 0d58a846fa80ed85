import HarmoniaCore

/// Workflow definitions the route tests share, written as a client would send them.
enum Fixtures {
    /// a → b → c, outputs flowing through both expression forms.
    static let chain: JSONValue = [
        "name": "chain",
        "tasks": [
            ["name": "a", "component": "harmonia", "action": "echo", "input": ["message": "${input.greeting}"]],
            [
                "name": "b", "component": "harmonia", "action": "transform",
                "input": ["value": "${tasks.a.output.result}"], "depends_on": ["a"],
            ],
            [
                "name": "c", "component": "harmonia", "action": "echo",
                "input": ["message": "${tasks.b.result} world"], "dependsOn": ["b"],
            ],
        ],
    ]

    /// start → (left, right) → join, tasks keyed by id, camelCase and snake_case mixed.
    static let diamond: JSONValue = [
        "name": "diamond",
        "inputSchema": ["type": "object", "properties": ["n": ["type": "integer"]], "required": ["n"]],
        "tasks": [
            "start": ["component": "harmonia", "action": "transform", "input": ["value": "${input.n}"]],
            "left": [
                "component": "harmonia", "action": "transform", "input": ["value": "${tasks.start.result}"],
                "depends_on": ["start"],
            ],
            "right": [
                "component": "harmonia", "action": "transform", "input": ["value": "${tasks.start.output.result}"],
                "depends_on": ["start"],
            ],
            "join": [
                "component": "harmonia", "action": "echo",
                "input": ["message": "${tasks.left.result}-${tasks.right.output.result}", "sum": "${tasks.left.result}"],
                "depends_on": ["left", "right"],
            ],
        ],
    ]

    /// One task that always fails after two retries, and a dependent that must be skipped.
    static let alwaysFails: JSONValue = [
        "name": "always-fails",
        "tasks": [
            [
                "name": "flaky", "component": "harmonia", "action": "fail",
                "input": ["message": "boom", "retryable": true],
                "retry_policy": ["max_retries": 2, "initial_delay": 0.05],
            ],
            ["name": "after", "component": "harmonia", "action": "noop", "depends_on": ["flaky"]],
        ],
    ]

    /// `gated` runs only when `input.enabled` is true; `downstream` depends on it.
    static let conditional: JSONValue = [
        "name": "conditional",
        "tasks": [
            ["name": "first", "component": "harmonia", "action": "noop"],
            [
                "name": "gated", "component": "harmonia", "action": "echo", "input": ["message": "ran"],
                "depends_on": ["first"], "condition": "input.enabled == true",
            ],
            ["name": "downstream", "component": "harmonia", "action": "noop", "depends_on": ["gated"]],
            ["name": "sibling", "component": "harmonia", "action": "noop", "depends_on": ["first"]],
        ],
    ]

    /// One long sleep, for pause, resume and cancel.
    static let slow: JSONValue = [
        "name": "slow",
        "tasks": [
            ["name": "nap", "component": "harmonia", "action": "sleep", "input": ["seconds": 30]],
            ["name": "after", "component": "harmonia", "action": "noop", "depends_on": ["nap"]],
        ],
    ]

    /// A single no-op task.
    static func noop(_ name: String = "noop") -> JSONValue {
        ["name": .string(name), "tasks": [["name": "only", "component": "harmonia", "action": "noop"]]]
    }
}

import HarmoniaCore

/// Template bodies as a client would send them.
enum TemplateBodies {
    /// A greeting workflow: a required name, a bounded integer with a default, a region from
    /// a list, and a placeholder spliced into text, kept whole, and used as a task's timeout.
    static let greeting: JSONValue = [
        "name": "greeting",
        "description": "greets someone, several times",
        "tags": ["demo", "greetings"],
        "parameters": [
            "who": ["type": "string", "required": true, "minLength": 2, "max_length": 30, "pattern": "^[A-Za-z ]+$"],
            "times": ["type": "integer", "default": 2, "minimum": 1, "maximum": 5, "description": "how many times"],
            "region": ["type": "string", "default": "eu", "enum": ["eu", "us"]],
            "loud": ["type": "boolean", "default": false],
        ],
        "definition": [
            "name": "greet ${params.who}",
            "tasks": [
                "hello": [
                    "component": "harmonia", "action": "echo",
                    "input": [
                        "message": "Hello, ${params.who} from ${param.region}!",
                        "times": "${params.times}", "loud": "${params.loud}", "extra": "${input.extra}",
                    ],
                ],
                "repeat": [
                    "component": "harmonia", "action": "transform",
                    "input": ["value": "${tasks.hello.output.times}"], "depends_on": ["hello"],
                ],
            ],
        ],
    ]
}

@testable import HarmoniaCore

/// Templates the template tests share.
enum TemplateFixtures {
    /// Runs `body` and returns the `HarmoniaError` it throws, nil when it throws nothing.
    static func error(_ body: () throws -> Void) -> HarmoniaError? {
        do {
            try body()
            return nil
        } catch let error as HarmoniaError {
            return error
        } catch {
            return HarmoniaError(.storageFailure, "unexpected error \(error)")
        }
    }

    /// A two-task greeting workflow with parameters of several kinds, used whole and embedded.
    static func greeting() -> WorkflowTemplate {
        WorkflowTemplate(
            name: "greeting",
            definition: [
                "name": "greet ${params.who}",
                "timeout": "${params.timeout}",
                "tasks": [
                    "hello": [
                        "component": "harmonia", "action": "echo",
                        "input": [
                            "message": "Hello, ${params.who}! (${param.times}x)",
                            "times": "${params.times}",
                            "loud": "${params.loud}",
                            "tags": "${params.tags}",
                            "from_input": "${input.extra}",
                        ],
                    ],
                    "after": [
                        "component": "harmonia", "action": "echo",
                        "input": ["message": "${tasks.hello.output.result}"], "depends_on": ["hello"],
                    ],
                ],
            ],
            parameters: [
                "who": TemplateParameter(type: .string, required: true, minLength: 2, maxLength: 20, pattern: "^[A-Za-z ]+$"),
                "times": TemplateParameter(type: .integer, defaultValue: 1, minimum: 1, maximum: 5),
                "loud": TemplateParameter(type: .boolean, defaultValue: false),
                "tags": TemplateParameter(type: .array, defaultValue: [], maxLength: 3),
                "timeout": TemplateParameter(type: .number, defaultValue: 60, minimum: 1),
            ])
    }
}

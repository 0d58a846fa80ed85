import Foundation
import HarmoniaCore
import Testing

struct DefinitionParserTests {
    @Test func tasksAsAnObjectKeyedByID() throws {
        let definition = try DefinitionFixtures.decode(
            """
            {"name": "w", "tasks": {
              "fetch": {"component": "Ergon", "action": "execute_command", "input": {"command": "ls"}},
              "report": {"component": "harmonia", "action": "echo", "depends_on": "fetch", "name": "Report"}
            }}
            """)
        #expect(definition.tasks.map(\.id) == ["fetch", "report"])
        #expect(definition.tasks[0].name == "fetch")
        #expect(definition.tasks[0].component == "ergon")
        #expect(definition.tasks[0].input == ["command": "ls"])
        #expect(definition.tasks[1].name == "Report")
        #expect(definition.tasks[1].dependsOn == ["fetch"])
        #expect(definition.tasks[1].input == .emptyObject)
    }

    @Test func tasksAsAnArrayKeepTheirOrderAndDefaultIDToName() throws {
        let definition = try DefinitionFixtures.decode(
            """
            {"name": "w", "tasks": [
              {"name": "zeta", "component": "harmonia", "action": "echo"},
              {"id": "alpha", "component": "harmonia", "action": "echo"},
              {"id": "b", "name": "Beta", "component": "harmonia", "action": "echo", "depends_on": ["zeta", "alpha"]}
            ]}
            """)
        #expect(definition.tasks.map(\.id) == ["zeta", "alpha", "b"])
        #expect(definition.tasks.map(\.name) == ["zeta", "alpha", "Beta"])
        #expect(definition.tasks[2].dependsOn == ["zeta", "alpha"])
    }

    @Test func snakeAndCamelCaseKeysMeanTheSame() throws {
        let snake = try DefinitionFixtures.decode(
            """
            {"name": "w", "fail_fast": true, "max_concurrency": 4, "timeout": 300,
             "input_schema": {"type": "object"}, "output_schema": {"type": "object"},
             "retry_policy": {"max_retries": 5, "initial_delay": 2, "max_delay": 30,
                              "backoff_multiplier": 3, "jitter": 0.2, "retry_on": ["timeout"]},
             "tasks": [{"id": "a", "component": "harmonia", "action": "echo"},
                       {"id": "b", "component": "harmonia", "action": "echo", "depends_on": ["a"],
                        "retry_policy": {"max_retries": 1}, "timeout": 2.5}]}
            """, id: "fixed")
        let camel = try DefinitionFixtures.decode(
            """
            {"name": "w", "failFast": true, "maxConcurrency": 4, "timeout": 300,
             "inputSchema": {"type": "object"}, "outputSchema": {"type": "object"},
             "retryPolicy": {"maxRetries": 5, "initialDelay": 2, "maxDelay": 30,
                             "backoffMultiplier": 3, "jitter": 0.2, "retryOn": ["timeout"]},
             "tasks": [{"id": "a", "component": "harmonia", "action": "echo"},
                       {"id": "b", "component": "harmonia", "action": "echo", "dependsOn": ["a"],
                        "retryPolicy": {"maxRetries": 1}, "timeout": 2.5}]}
            """, id: "fixed")
        var aligned = camel
        aligned.createdAt = snake.createdAt
        aligned.updatedAt = snake.updatedAt
        #expect(aligned == snake)
        #expect(snake.failFast && snake.maxConcurrency == 4 && snake.timeout == 300)
        #expect(snake.retryPolicy == RetryPolicy(
            maxRetries: 5, initialDelay: 2, maxDelay: 30, backoffMultiplier: 3, jitter: 0.2, retryOn: ["timeout"]))
        #expect(snake.tasks[1].retryPolicy == RetryPolicy(maxRetries: 1))
        #expect(snake.tasks[1].timeout == 2.5)
    }

    @Test func aliasesForSchemasAndTaskInput() throws {
        let definition = try DefinitionFixtures.decode(
            """
            {"name": "w", "input": {"who": {"type": "string"}}, "output": {"type": "object"},
             "tasks": {"a": {"component": "harmonia", "action": "echo", "parameters": {"x": 1}}}}
            """)
        #expect(definition.inputSchema == ["who": ["type": "string"]])
        #expect(definition.outputSchema == ["type": "object"])
        #expect(definition.tasks[0].input == ["x": 1])
    }

    @Test func metadataConditionIsUsedWhenConditionIsAbsent() throws {
        let definition = try DefinitionFixtures.decode(
            """
            {"name": "w", "tasks": {
              "a": {"component": "harmonia", "action": "echo", "metadata": {"condition": "${input.go}", "team": "x"}},
              "b": {"component": "harmonia", "action": "echo", "condition": true, "metadata": {"condition": false}}
            }}
            """)
        #expect(definition.tasks[0].condition == "${input.go}")
        #expect(definition.tasks[0].metadata["team"] == "x")
        #expect(definition.tasks[1].condition == true)
    }

    @Test func idComesFromTheParameterThenTheBodyThenAFreshUUID() throws {
        let body = #"{"id": "from-body", "name": "w", "tasks": {"a": {"component": "c", "action": "x"}}}"#
        #expect(try DefinitionFixtures.decode(body, id: "given").id == "given")
        #expect(try DefinitionFixtures.decode(body).id == "from-body")
        let fresh = try DefinitionFixtures.decode(#"{"name": "w", "tasks": {"a": {"component": "c", "action": "x"}}}"#)
        #expect(UUID(uuidString: fresh.id) != nil)
        #expect(fresh.id == fresh.id.lowercased())
    }

    @Test func versionAndTimesComeFromTheCaller() throws {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let value = try DefinitionParser.parse(Array(#"{"name": "w", "version": 9, "tasks": {"a": {"component": "c", "action": "x"}}}"#.utf8))
        let definition = try DefinitionParser.decode(value, version: 3, now: now)
        #expect(definition.version == 3)
        #expect(definition.createdAt == now && definition.updatedAt == now)
    }

    @Test func retryPolicyDefaultsAndRaisedMaxDelay() throws {
        let definition = try DefinitionFixtures.decode(
            """
            {"name": "w", "tasks": {
              "a": {"component": "c", "action": "x", "retry_policy": {}},
              "b": {"component": "c", "action": "x", "retry_policy": {"initial_delay": 120, "retry_on": "timeout"}}
            }}
            """)
        #expect(definition.tasks[0].retryPolicy == RetryPolicy())
        #expect(definition.tasks[1].retryPolicy?.maxDelay == 120)
        #expect(definition.tasks[1].retryPolicy?.retryOn == ["timeout"])
    }

    @Test func nullsAndUnknownKeysAreIgnored() throws {
        let definition = try DefinitionFixtures.decode(
            """
            {"name": "w", "colour": "blue", "timeout": null, "retry_policy": null,
             "tasks": {"a": {"component": "c", "action": "x", "condition": null, "whatever": [1, 2]}}}
            """)
        #expect(definition.timeout == nil && definition.retryPolicy == nil)
        #expect(definition.tasks[0].condition == nil)
    }

    @Test func checkpointIntervalIsZeroOrAtLeastATenthOfASecond() throws {
        let definition = try DefinitionFixtures.decode(
            #"{"name": "w", "checkpoint_interval": 30, "tasks": {"a": {"component": "c", "action": "x"}}}"#)
        #expect(definition.checkpointInterval == 30)
        let camel = try DefinitionFixtures.decode(
            #"{"name": "w", "checkpointInterval": 0, "tasks": {"a": {"component": "c", "action": "x"}}}"#)
        #expect(camel.checkpointInterval == 0)
        let text = String(decoding: try JSONEncoder().encode(definition), as: UTF8.self)
        #expect(text.contains("\"checkpoint_interval\":30"))
        for bad in ["0.05", "-1", "\"often\""] {
            let error = DefinitionFixtures.error {
                _ = try DefinitionFixtures.decode(
                    #"{"name": "w", "checkpoint_interval": "# + bad + #", "tasks": {"a": {"component": "c", "action": "x"}}}"#)
            }
            #expect(DefinitionFixtures.has(error, .invalidDefinition, at: "checkpoint_interval"), "\(bad)")
        }
        var built = definition
        built.checkpointInterval = 0.01
        let refused = DefinitionFixtures.error { _ = try DefinitionValidator.validate(built) }
        #expect(DefinitionFixtures.has(refused, .invalidDefinition, at: "checkpoint_interval"))
    }

    @Test func canonicalEncodingIsSnakeCase() throws {
        let definition = try DefinitionFixtures.decode(
            #"{"name": "w", "failFast": true, "tasks": {"a": {"component": "c", "action": "x", "dependsOn": []}}}"#)
        let text = String(decoding: try JSONEncoder().encode(definition), as: UTF8.self)
        #expect(text.contains("\"fail_fast\":true"))
        #expect(text.contains("\"depends_on\":[]"))
        #expect(!text.contains("failFast"))
    }

    @Test func loadParsesDecodesAndValidates() throws {
        let definition = try DefinitionFixtures.load(
            """
            name: w
            tasks:
              a: {component: harmonia, action: echo}
              b: {component: harmonia, action: echo, input: {v: "${tasks.a.output.result}"}}
            """)
        #expect(definition.tasks.first { $0.id == "b" }?.dependsOn == ["a"])
    }
}

import HarmoniaCore
import Testing

struct DefinitionParserErrorTests {
    typealias F = DefinitionFixtures

    @Test func theBodyMustBeAnObject() {
        let error = F.error { _ = try F.decode("[1, 2]") }
        #expect(error?.code == .invalidDefinition)
        #expect(error?.message.contains("got array") == true)
    }

    @Test func missingTasksIsAnEmptyWorkflow() {
        let error = F.error { _ = try F.decode(#"{"name": "w"}"#) }
        #expect(error?.code == .emptyWorkflow)
        #expect(error?.path == "tasks")
    }

    @Test func wrongTypesNameTheirPathInObjectForm() {
        let error = F.error {
            _ = try F.decode(
                """
                {"name": "w", "tasks": {"fetch": {"component": "c", "action": "x",
                  "retry_policy": {"max_retries": "three"}, "depends_on": 7, "timeout": 0}}}
                """)
        }
        #expect(F.has(error, .invalidRetryPolicy, at: "tasks.fetch.retry_policy.max_retries"))
        #expect(F.has(error, .invalidDefinition, at: "tasks.fetch.depends_on"))
        #expect(F.has(error, .invalidDefinition, at: "tasks.fetch.timeout"))
        #expect(error?.problems.count == 3)
    }

    @Test func wrongTypesNameTheirPathInArrayForm() {
        let error = F.error {
            _ = try F.decode(
                """
                {"name": "w", "tasks": [
                  {"id": "a", "component": "c", "action": "x"},
                  {"id": "b", "component": "c", "action": "x"},
                  {"id": "c", "component": "c", "action": "x", "depends_on": [1, "a", ""], "input": [1]}
                ]}
                """)
        }
        #expect(F.has(error, .invalidDefinition, at: "tasks[2].depends_on[0]"))
        #expect(F.has(error, .invalidDefinition, at: "tasks[2].depends_on[2]"))
        #expect(F.has(error, .invalidDefinition, at: "tasks[2].input"))
        #expect(error?.path == "tasks[2].input")  // problems come in reading order
    }

    @Test func camelCaseKeysAreNamedAsWritten() {
        let error = F.error {
            _ = try F.decode(
                #"{"name": "w", "tasks": {"a": {"component": "c", "action": "x", "retryPolicy": {"maxRetries": -1}}}}"#)
        }
        #expect(error?.code == .invalidRetryPolicy)
        #expect(error?.path == "tasks.a.retryPolicy.maxRetries")
    }

    @Test func requiredFieldsAreReportedTogether() {
        let error = F.error {
            _ = try F.decode(#"{"tasks": [{"component": "c"}, {"id": "b", "action": "", "component": 3}, 5]}"#)
        }
        #expect(F.has(error, .invalidDefinition, at: "name"))
        #expect(F.has(error, .invalidDefinition, at: "tasks[0].id"))
        #expect(F.has(error, .invalidDefinition, at: "tasks[0].action"))
        #expect(F.has(error, .invalidDefinition, at: "tasks[1].action"))
        #expect(F.has(error, .invalidDefinition, at: "tasks[1].component"))
        #expect(F.has(error, .invalidDefinition, at: "tasks[2]"))
        #expect(error?.problems.count == 6)
        // The headline is the first problem's.
        #expect(error?.code.rawValue == error?.problems.first?.code)
        #expect(error?.message == error?.problems.first?.message)
        #expect(error?.path == error?.problems.first?.path)
    }

    @Test func retryPolicyRanges() {
        let error = F.error {
            _ = try F.decode(
                """
                {"name": "w", "retry_policy": {"max_retries": 101, "initial_delay": -1, "backoff_multiplier": 0.5,
                                               "jitter": 1.5, "retry_on": [3]},
                 "tasks": {"a": {"component": "c", "action": "x", "retry_policy": {"initial_delay": 10, "max_delay": 5}}}}
                """)
        }
        for path in [
            "retry_policy.max_retries", "retry_policy.initial_delay", "retry_policy.backoff_multiplier",
            "retry_policy.jitter", "retry_policy.retry_on[0]", "tasks.a.retry_policy.max_delay",
        ] {
            #expect(F.has(error, .invalidRetryPolicy, at: path), "\(path)")
        }
        #expect(error?.problems.count == 6)
    }

    @Test func workflowSettingsRanges() {
        let error = F.error {
            _ = try F.decode(
                """
                {"name": "w", "timeout": -5, "max_concurrency": 0, "fail_fast": "yes", "metadata": [],
                 "input_schema": "string", "tasks": {"a": {"component": "c", "action": "x", "retry_policy": 3}}}
                """)
        }
        #expect(F.has(error, .invalidDefinition, at: "timeout"))
        #expect(F.has(error, .invalidDefinition, at: "max_concurrency"))
        #expect(F.has(error, .invalidDefinition, at: "fail_fast"))
        #expect(F.has(error, .invalidDefinition, at: "metadata"))
        #expect(F.has(error, .invalidDefinition, at: "input_schema"))
        #expect(F.has(error, .invalidRetryPolicy, at: "tasks.a.retry_policy"))
    }

    @Test func tasksOfTheWrongShape() {
        let error = F.error { _ = try F.decode(#"{"name": "w", "tasks": "a,b"}"#) }
        #expect(error?.code == .invalidDefinition)
        #expect(error?.path == "tasks")
    }

    @Test func oddTaskKeysAreQuotedInPaths() {
        let error = F.error { _ = try F.decode(#"{"name": "w", "tasks": {"a.b": {"component": "c"}}}"#) }
        #expect(error?.path == #"tasks["a.b"].action"#)
    }

    @Test func invalidJSONNamesLineAndColumn() {
        let error = F.error { _ = try DefinitionParser.parse(Array("{\n  \"name\": }".utf8)) }
        #expect(error?.code == .invalidJSON)
        #expect(error?.message.contains("line 2") == true)
    }

    @Test func manyProblemsAreCapped() {
        let tasks = (0..<500).map { _ in "1" }.joined(separator: ",")
        let error = F.error { _ = try F.decode(#"{"name": "w", "tasks": [\#(tasks)]}"#) }
        #expect(error?.problems.count == 101)
        #expect(error?.problems.last?.message == "400 more problems not shown")
    }
}

struct DefinitionParserEdgeTests {
    typealias F = DefinitionFixtures

    @Test(arguments: [#"{"name": "w", "tasks": []}"#, #"{"name": "w", "tasks": {}}"#, "name: w\ntasks: []\n"])
    func emptyTaskCollections(text: String) {
        let error = F.error { _ = try F.decode(text) }
        #expect(error?.code == .emptyWorkflow)
        #expect(error?.path == "tasks")
    }

    @Test func anExplicitIDInsideTheObjectFormWins() throws {
        let definition = try F.decode(#"{"name": "w", "tasks": {"k": {"id": "real", "component": "c", "action": "x"}}}"#)
        #expect(definition.tasks[0].id == "real")
        #expect(definition.tasks[0].name == "k")
    }

    @Test func emptyOrMissingIDsInTheArrayForm() {
        let error = F.error {
            _ = try F.decode(
                #"{"name": "w", "tasks": [{"id": "", "component": "c", "action": "x"}, {"name": "", "component": "c", "action": "x"}]}"#)
        }
        #expect(F.has(error, .invalidDefinition, at: "tasks[0].id"))
        #expect(F.has(error, .invalidDefinition, at: "tasks[1].id"))
        #expect(error?.problems.count == 2)
    }

    @Test func dependenciesAliasAndDuplicateEntries() throws {
        let definition = try F.decode(
            #"{"name": "w", "tasks": [{"id": "a", "component": "c", "action": "x"}, {"id": "b", "component": "c", "action": "x", "dependencies": ["a", "a"]}]}"#)
        #expect(definition.tasks[1].dependsOn == ["a"])
    }
}

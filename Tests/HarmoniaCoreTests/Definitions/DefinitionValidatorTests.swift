import HarmoniaCore
import Testing

struct DefinitionValidatorTests {
    typealias F = DefinitionFixtures

    @Test func aValidDefinitionComesBackInOrder() throws {
        let definition = F.workflow([("c", [], [:]), ("a", ["c"], [:]), ("b", ["a", "c"], [:])])
        let validated = try DefinitionValidator.validate(definition)
        #expect(validated == definition)
    }

    @Test func emptyWorkflow() {
        let error = F.error { _ = try DefinitionValidator.validate(F.workflow([])) }
        #expect(error?.code == .emptyWorkflow)
        #expect(error?.path == "tasks")
    }

    @Test func tooManyTasks() {
        let tasks = (0...DefinitionValidator.maxTasks).map { ("t\($0)", [String](), JSONValue.emptyObject) }
        let error = F.error { _ = try DefinitionValidator.validate(F.workflow(tasks)) }
        #expect(error?.code == .invalidDefinition)
        #expect(error?.path == "tasks")
    }

    @Test func duplicateIDsNameBothPlaces() {
        let error = F.error {
            _ = try DefinitionValidator.validate(F.workflow([("a", [], [:]), ("b", [], [:]), ("a", [], [:])]))
        }
        #expect(error?.code == .duplicateTaskID)
        #expect(error?.path == "tasks[2].id")
        #expect(error?.message.contains("tasks[0]") == true)
        #expect(error?.message.contains("tasks[2]") == true)
    }

    @Test func unknownDependencyNamesTheEntry() {
        let error = F.error {
            _ = try DefinitionValidator.validate(F.workflow([("a", [], [:]), ("b", ["a", "ghost"], [:])]))
        }
        #expect(error?.code == .unknownDependency)
        #expect(error?.path == "tasks.b.depends_on[1]")
        #expect(error?.message.contains("ghost") == true)
    }

    @Test func cycleMessageNamesTheCycle() {
        let error = F.error {
            _ = try DefinitionValidator.validate(
                F.workflow([("a", ["b"], [:]), ("b", ["c"], [:]), ("c", ["a"], [:]), ("d", ["a"], [:])]))
        }
        #expect(error?.code == .dependencyCycle)
        #expect(error?.message == "dependency cycle: a -> b -> c -> a")
        #expect(error?.path == "tasks.a.depends_on")
    }

    @Test func selfDependencyIsACycleOfOne() {
        let error = F.error { _ = try DefinitionValidator.validate(F.workflow([("a", ["a"], [:])])) }
        #expect(error?.code == .dependencyCycle)
        #expect(error?.path == "tasks.a.depends_on[0]")
        #expect(error?.problems.count ?? 0 <= 1)
    }

    @Test func expressionsAddImplicitDependencies() throws {
        let definition = F.workflow([
            ("fetch", [], [:]),
            ("parse", [], [:]),
            ("report", ["parse"], [
                "body": "${tasks.fetch.output.result}",
                "items": ["${tasks.parse.output.items}", "by ${input.user}", "${tasks.fetch.output.code}"],
            ]),
        ])
        let validated = try DefinitionValidator.validate(definition)
        #expect(validated.tasks.map(\.id) == ["fetch", "parse", "report"])
        #expect(validated.tasks[2].dependsOn == ["parse", "fetch"])
        #expect(validated.tasks[0].dependsOn.isEmpty)
    }

    @Test func conditionsAddImplicitDependencies() throws {
        var definition = F.workflow([("check", [], [:]), ("deploy", [], [:])])
        definition.tasks[1].condition = "${tasks.check.output.ok} == true"
        let validated = try DefinitionValidator.validate(definition)
        #expect(validated.tasks[1].dependsOn == ["check"])
    }

    @Test func implicitDependenciesCanCloseACycle() {
        let error = F.error {
            _ = try DefinitionValidator.validate(
                F.workflow([("a", ["b"], [:]), ("b", [], ["x": "${tasks.a.output.result}"])]))
        }
        #expect(error?.code == .dependencyCycle)
        #expect(error?.message == "dependency cycle: a -> b -> a")
    }

    @Test func unknownTaskReferenceNamesTheString() {
        let error = F.error {
            _ = try DefinitionValidator.validate(F.workflow([("a", [], ["deep": ["list": [1, "${tasks.nope.output}"]]])]))
        }
        #expect(error?.code == .unknownTaskReference)
        #expect(error?.path == "tasks.a.input.deep.list[1]")
        #expect(error?.message.contains("nope") == true)
    }

    @Test func selfReferenceIsACycleOfOne() {
        let error = F.error {
            _ = try DefinitionValidator.validate(F.workflow([("a", [], ["x": "${tasks.a.output.result}"])]))
        }
        #expect(error?.code == .dependencyCycle)
        #expect(error?.path == "tasks.a.input.x")
    }

    @Test func unknownRootAndMalformedExpressions() {
        var definition = F.workflow([("a", [], ["x": "${secrets.key}", "y": "${input.ok"])])
        definition.tasks[0].condition = "(("
        let error = F.error { _ = try DefinitionValidator.validate(definition) }
        #expect(F.has(error, .unknownExpressionRoot, at: "tasks.a.input.x"))
        #expect(F.has(error, .malformedExpression, at: "tasks.a.input.y"))
        #expect(F.has(error, .malformedExpression, at: "tasks.a.condition"))
    }

    @Test func allProblemsAreReportedAtOnce() {
        let error = F.error {
            _ = try DefinitionValidator.validate(
                F.workflow([
                    ("a", ["ghost"], ["x": "${tasks.missing.output}"]),
                    ("b", ["c"], [:]), ("c", ["b"], [:]),
                ]))
        }
        #expect(F.has(error, .unknownDependency, at: "tasks.a.depends_on[0]"))
        #expect(F.has(error, .unknownTaskReference, at: "tasks.a.input.x"))
        #expect(F.has(error, .dependencyCycle, at: "tasks.b.depends_on"))
        #expect(error?.problems.count == 3)
    }

    @Test func settingsOfCodeBuiltDefinitionsAreChecked() {
        var definition = F.workflow([("a", [], [:])])
        definition.timeout = 0
        definition.tasks[0].retryPolicy = RetryPolicy(maxRetries: 1000, jitter: 2)
        definition.tasks[0].input = [1, 2]
        definition.inputSchema = ["type": "strin", "properties": ["n": ["pattern": "(["]]]
        let error = F.error { _ = try DefinitionValidator.validate(definition) }
        #expect(F.has(error, .invalidDefinition, at: "timeout"))
        #expect(F.has(error, .invalidRetryPolicy, at: "tasks.a.retry_policy.max_retries"))
        #expect(F.has(error, .invalidRetryPolicy, at: "tasks.a.retry_policy.jitter"))
        #expect(F.has(error, .invalidDefinition, at: "tasks.a.input"))
        #expect(F.has(error, .invalidDefinition, at: "input_schema.type"))
        #expect(F.has(error, .invalidDefinition, at: "input_schema.properties.n.pattern"))
    }

    @Test func topologicalOrderIsStableByDefinitionOrder() {
        let definition = F.workflow([
            ("d", ["b"], [:]), ("b", [], [:]), ("a", [], [:]), ("c", ["a", "b"], [:]),
        ])
        #expect(DefinitionValidator.topologicalOrder(definition) == ["b", "d", "a", "c"])
    }
}

struct DefinitionValidatorConditionTests {
    typealias F = DefinitionFixtures

    @Test func conditionLanguageAndDictFormAddDependencies() throws {
        var definition = F.workflow([("check", [], [:]), ("lint", [], [:]), ("deploy", [], [:]), ("notify", [], [:])])
        definition.tasks[2].condition = "tasks.check.result == 'ok' and not input.dry_run"
        definition.tasks[3].condition = ["and": [["eq": ["${tasks.lint.output.code}", 0]], ["eq": ["${tasks.deploy.result}", "done"]]]]
        let validated = try DefinitionValidator.validate(definition)
        #expect(validated.tasks[2].dependsOn == ["check"])
        #expect(validated.tasks[3].dependsOn == ["lint", "deploy"])
    }

    @Test func conditionReferencingAnUnknownTask() {
        var definition = F.workflow([("a", [], [:])])
        definition.tasks[0].condition = "tasks.ghost.result == 1"
        let error = F.error { _ = try DefinitionValidator.validate(definition) }
        #expect(error?.code == .unknownTaskReference)
        #expect(error?.path == "tasks.a.condition")
    }

    @Test func conditionOfTheWrongType() {
        var definition = F.workflow([("a", [], [:])])
        definition.tasks[0].condition = 3
        let error = F.error { _ = try DefinitionValidator.validate(definition) }
        #expect(error?.code == .malformedExpression)
        #expect(error?.path == "tasks.a.condition")
    }

    @Test func oddIDsAreQuotedInPaths() {
        let error = F.error { _ = try DefinitionValidator.validate(F.workflow([("a.b", ["zz"], [:])])) }
        #expect(error?.path == #"tasks["a.b"].depends_on[0]"#)
    }

    @Test func shortFormTaskReferences() throws {
        let validated = try DefinitionValidator.validate(
            F.workflow([("a", [], [:]), ("b", [], ["v": "${tasks.a.result}", "w": "${tasks.a.output.x[0]}"])]))
        #expect(validated.tasks[1].dependsOn == ["a"])
    }
}

import HarmoniaCore
import Testing

/// `for_each` and a map task's `max_concurrency` in definitions: what is accepted, what is
/// refused, and every refusal naming the task and the field.
struct DefinitionMapTests {
    typealias F = DefinitionFixtures

    static let valid = """
        {"name": "m", "tasks": [
          {"id": "list", "component": "harmonia", "action": "transform", "input": {"value": [1, 2]}},
          {"id": "fan", "component": "harmonia", "action": "echo", "for_each": "${tasks.list.output.result}",
           "max_concurrency": 4, "input": {"message": "${item} at ${index}"}}
        ]}
        """

    @Test func forEachIsAcceptedAndItsReferenceBecomesADependency() throws {
        let definition = try F.load(Self.valid)
        let fan = try #require(definition.tasks.first { $0.id == "fan" })
        #expect(fan.forEach == "${tasks.list.output.result}")
        #expect(fan.maxConcurrency == 4)
        #expect(fan.dependsOn == ["list"])
        #expect(fan.isMap)
    }

    @Test func aLiteralListAndYAMLWork() throws {
        let definition = try F.load("""
            name: m
            tasks:
              - id: fan
                component: harmonia
                action: echo
                for_each: [a, b]
                input: {message: "${item}"}
            """)
        #expect(definition.tasks[0].forEach == ["a", "b"])
    }

    @Test func expressionsInsideALiteralListAreCheckedAndMakeDependencies() throws {
        let definition = try F.load(#"""
            {"name": "m", "tasks": [
              {"id": "a", "component": "harmonia", "action": "noop"},
              {"id": "fan", "component": "harmonia", "action": "echo", "for_each": [1, "${tasks.a.output}"]}
            ]}
            """#)
        #expect(definition.tasks[1].dependsOn == ["a"])
        let unknown = F.error {
            _ = try F.load(
                #"{"name": "m", "tasks": [{"id": "fan", "component": "harmonia", "action": "echo", "for_each": ["${tasks.ghost.x}"]}]}"#)
        }
        #expect(F.has(unknown, .unknownTaskReference, at: "tasks.fan.for_each"))
    }

    @Test func forEachMustBeAListOrOneExpression() {
        let number = F.error {
            _ = try F.load(#"{"name": "m", "tasks": [{"id": "fan", "component": "harmonia", "action": "echo", "for_each": 3}]}"#)
        }
        #expect(F.has(number, .invalidDefinition, at: "tasks[0].for_each"))
        #expect("\(number.map { "\($0.problems)" } ?? "")".contains("tasks[0].for_each must be a list"), "\(String(describing: number))")
        let spliced = F.error {
            _ = try F.load(#"{"name": "m", "tasks": [{"id": "fan", "component": "harmonia", "action": "echo", "for_each": "x ${input.a}"}]}"#)
        }
        #expect(F.has(spliced, .invalidDefinition, at: "tasks.fan.for_each"))
    }

    @Test func forEachMustReferToKnownTasks() {
        let error = F.error {
            _ = try F.load(
                #"{"name": "m", "tasks": [{"id": "fan", "component": "harmonia", "action": "echo", "for_each": "${tasks.ghost.output}"}]}"#)
        }
        #expect(F.has(error, .unknownTaskReference, at: "tasks.fan.for_each"))
        let itself = F.error {
            _ = try F.load(
                #"{"name": "m", "tasks": [{"id": "fan", "component": "harmonia", "action": "echo", "for_each": "${tasks.fan.output}"}]}"#)
        }
        #expect(F.has(itself, .dependencyCycle, at: "tasks.fan.for_each"))
    }

    @Test func itemAndIndexOnlyInAMapTasksInput() {
        let plain = F.error {
            _ = try F.load(#"{"name": "m", "tasks": [{"id": "t", "component": "harmonia", "action": "echo", "input": {"m": "${item}"}}]}"#)
        }
        #expect(F.has(plain, .invalidDefinition, at: "tasks.t.input.m"))
        #expect(plain?.message.contains("task 't' has no for_each") == true)
        let inForEach = F.error {
            _ = try F.load(#"{"name": "m", "tasks": [{"id": "fan", "component": "harmonia", "action": "echo", "for_each": "${item}"}]}"#)
        }
        #expect(F.has(inForEach, .invalidDefinition, at: "tasks.fan.for_each"))
        let inCondition = F.error {
            _ = try F.load(
                #"{"name": "m", "tasks": [{"id": "fan", "component": "harmonia", "action": "echo", "for_each": [1], "condition": "${index} > 0"}]}"#)
        }
        #expect(F.has(inCondition, .invalidDefinition, at: "tasks.fan.condition"))
    }

    @Test func maxConcurrencyNeedsForEachAndAPositiveValue() {
        let without = F.error {
            _ = try F.load(#"{"name": "m", "tasks": [{"id": "t", "component": "harmonia", "action": "echo", "max_concurrency": 2}]}"#)
        }
        #expect(F.has(without, .invalidDefinition, at: "tasks[0].max_concurrency"))
        let zero = F.error {
            _ = try F.load(
                #"{"name": "m", "tasks": [{"id": "t", "component": "harmonia", "action": "echo", "for_each": [1], "max_concurrency": 0}]}"#)
        }
        #expect(F.has(zero, .invalidDefinition, at: "tasks[0].max_concurrency"))
    }

    @Test func aTaskMayNotBeNamedLikeAnInstance() {
        let error = F.error {
            _ = try F.load("""
                {"name": "m", "tasks": [
                  {"id": "fan", "component": "harmonia", "action": "echo", "for_each": [1]},
                  {"id": "fan[0]", "component": "harmonia", "action": "echo"}
                ]}
                """)
        }
        #expect(F.has(error, .invalidDefinition, at: "tasks[\"fan[0]\"].id"))
    }
}

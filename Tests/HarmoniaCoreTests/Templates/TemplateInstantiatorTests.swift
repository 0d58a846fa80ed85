import Testing

@testable import HarmoniaCore

struct TemplateInstantiatorTests {
    typealias F = TemplateFixtures

    @Test func everyProblemIsReportedAtOnceNamingItsParameter() throws {
        let error = try #require(F.error {
            _ = try TemplateInstantiator.instantiate(
                F.greeting(), values: ["times": 9, "loud": "yes", "tags": [1, 2, 3, 4], "timeout": 0, "colour": "red"])
        })
        #expect(error.code == .invalidParameters)
        let paths = error.problems.map(\.path)
        #expect(paths == [
            "parameter_values.colour", "parameter_values.loud", "parameter_values.tags", "parameter_values.timeout",
            "parameter_values.times", "parameter_values.who",
        ])
        #expect(error.problems.allSatisfy { $0.code == "invalid_parameters" })
        let messages = error.problems.map(\.message)
        #expect(messages.contains { $0.contains("'colour' is not a parameter") })
        #expect(messages.contains { $0.contains("parameter_values.who is required") })
        #expect(messages.contains { $0.contains("must be at most 5") })
        #expect(messages.contains { $0.contains("must be boolean") })
    }

    @Test func stringRulesLengthPatternAndEnum() throws {
        var template = F.greeting()
        template.parameters["region"] = TemplateParameter(type: .string, defaultValue: "eu", allowedValues: ["eu", "us"])
        let error = try #require(F.error {
            _ = try TemplateInstantiator.resolveValues(template, values: ["who": "7", "region": "mars"])
        })
        let messages = error.problems.map(\.message)
        #expect(messages.count == 3)
        #expect(messages.contains { $0.contains("at least 2 characters") })
        #expect(messages.contains { $0.contains("must match the pattern") })
        #expect(messages.contains { $0.contains(#"must be one of "eu", "us""#) })
    }

    /// Only a template made from a saved workflow hands its values over as input defaults;
    /// defaults already in the definition stay unless a parameter of the same name is given.
    @Test func aTemplateFromASavedWorkflowGetsItsValuesAsDefaultInput() throws {
        var template = F.greeting()
        #expect(try TemplateInstantiator.instantiate(template, values: ["who": "Ada"]).defaultInput == nil)
        template.sourceWorkflowID = "saved-workflow"
        guard case .object(var definition) = template.definition else { Issue.record("not an object"); return }
        definition["default_input"] = ["who": "nobody", "kept": true]
        template.definition = .object(definition)
        let instance = try TemplateInstantiator.instantiate(template, values: ["who": "Ada"])
        let defaults = try #require(instance.defaultInput)
        #expect(defaults["who"] == "Ada")
        #expect(defaults["kept"] == true)
        #expect(defaults["times"] == 1, "a parameter's default is a value too")
        #expect(!defaults.values.contains(.null), "parameters without a value are left out")
    }

    @Test func anExecutionsInputIsLaidOverTheWorkflowsDefaults() {
        var workflow = WorkflowDefinition(name: "w", tasks: [])
        #expect(workflow.effectiveInput(["a": 1]) == ["a": 1])
        #expect(workflow.effectiveInput(nil) == nil)
        workflow.defaultInput = ["a": 1, "b": 2]
        #expect(workflow.effectiveInput(["b": 3, "c": 4]) == ["a": 1, "b": 3, "c": 4])
        #expect(workflow.effectiveInput(nil) == ["a": 1, "b": 2])
        #expect(workflow.effectiveInput(.null) == ["a": 1, "b": 2])
        #expect(workflow.effectiveInput("text") == "text", "a non-object input is not merged")
    }

    @Test func validValuesAreSubstitutedAndDefaultsFilledIn() throws {
        let template = F.greeting()
        let workflow = try TemplateInstantiator.instantiate(template, values: ["who": "Ada", "times": 3.0, "tags": ["a"]])
        #expect(workflow.name == "greet Ada")
        #expect(workflow.timeout == 60)
        #expect(workflow.version == 1)
        #expect(workflow.id != template.id)
        let hello = try #require(workflow.task("hello"))
        #expect(hello.input["message"] == "Hello, Ada! (3x)")
        #expect(hello.input["times"] == 3)
        #expect(hello.input["loud"] == false)
        #expect(hello.input["tags"] == ["a"])
        #expect(hello.input["from_input"] == "${input.extra}")
        #expect(workflow.task("after")?.input["message"] == "${tasks.hello.output.result}")
        #expect(workflow.metadata["template_id"] == .string(template.id))
        #expect(workflow.metadata["template_version"] == 1)
    }

    @Test func nameOverrideAndOptionalParametersWithoutDefaults() throws {
        var template = F.greeting()
        template.definition = ["tasks": ["a": ["component": "harmonia", "action": "echo", "input": ["note": "${params.note}"]]]]
        template.parameters = ["note": TemplateParameter(type: .string)]
        let plain = try TemplateInstantiator.instantiate(template, values: [:])
        #expect(plain.name == "greeting")
        #expect(plain.task("a")?.input["note"] == .null)
        let named = try TemplateInstantiator.instantiate(template, values: ["note": "hi"], name: "mine")
        #expect(named.name == "mine")
        #expect(named.task("a")?.input["note"] == "hi")
    }

    @Test func aSubstitutedDefinitionIsValidatedLikeAnyWorkflow() throws {
        var template = F.greeting()
        template.definition = [
            "name": "x",
            "tasks": ["a": ["component": "harmonia", "action": "noop", "depends_on": ["${params.dep}"]]],
        ]
        template.parameters = ["dep": TemplateParameter(type: .string, required: true)]
        let error = try #require(F.error { _ = try TemplateInstantiator.instantiate(template, values: ["dep": "ghost"]) })
        #expect(error.code == .unknownDependency)
    }
}

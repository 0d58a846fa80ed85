import Foundation
import Testing

@testable import HarmoniaCore

struct TemplateValidatorTests {
    typealias F = TemplateFixtures

    @Test func theGreetingFixtureIsValid() throws {
        try TemplateValidator.validate(F.greeting())
    }

    @Test func undeclaredAndMalformedPlaceholdersAreRejected() throws {
        var template = F.greeting()
        template.parameters.removeValue(forKey: "who")
        template.definition = [
            "name": "${params.who}",
            "tasks": ["a": ["component": "harmonia", "action": "echo", "input": ["m": "${params.who} ${params.a.b}"]]],
        ]
        let error = try #require(F.error { try TemplateValidator.validate(template) })
        #expect(error.code == .invalidTemplate)
        let codes = error.problems.map(\.code)
        #expect(codes.filter { $0 == "undeclared_parameter" }.count == 1)
        #expect(codes.filter { $0 == "invalid_template" }.count == 1)
        let undeclared = try #require(error.problems.first { $0.code == "undeclared_parameter" })
        #expect(undeclared.path == "definition.name")
        #expect(undeclared.message.contains("no parameter 'who'"))
    }

    @Test func declarationsMustHoldTogether() throws {
        var template = F.greeting()
        template.parameters = [
            "n": TemplateParameter(type: .integer, defaultValue: 10, minimum: 5, maximum: 1),
            "s": TemplateParameter(type: .string, minimum: 1, minLength: 3, maxLength: 2, pattern: "("),
            "e": TemplateParameter(type: .string, allowedValues: ["a", 1]),
            "d": TemplateParameter(type: .boolean, defaultValue: "yes"),
            "1bad": TemplateParameter(type: .string),
        ]
        template.definition = ["name": "x", "tasks": ["a": ["component": "harmonia", "action": "noop"]]]
        let error = try #require(F.error { try TemplateValidator.validate(template) })
        #expect(error.code == .invalidTemplate)
        let paths = Set(error.problems.compactMap(\.path))
        #expect(paths.isSuperset(of: [
            "parameters.1bad", "parameters.n.minimum", "parameters.n.default", "parameters.s.minimum",
            "parameters.s.min_length", "parameters.s.pattern", "parameters.e.enum[1]", "parameters.d.default",
        ]))
    }

    @Test func aTemplateWhoseDefaultInstanceCannotWorkIsRejected() throws {
        var template = F.greeting()
        template.parameters = ["dep": TemplateParameter(type: .string, defaultValue: "ghost")]
        template.definition = [
            "name": "x", "tasks": ["a": ["component": "harmonia", "action": "noop", "depends_on": ["${params.dep}"]]],
        ]
        let error = try #require(F.error { try TemplateValidator.validate(template) })
        #expect(error.code == .invalidTemplate)
        #expect(error.problems.first?.path == "definition.tasks.a.depends_on[0]")
    }

    @Test func draftsReadCamelCaseAndArrayParameters() throws {
        let draft = try TemplateDraft.decode([
            "name": "t", "workflowDefinitionId": "wf-1", "tags": "ops",
            "parameters": [["name": "n", "type": "int", "minLength": nil, "defaultValue": 2, "maximum": 9]],
        ])
        #expect(draft.workflowDefinitionID == "wf-1")
        #expect(draft.tags == ["ops"])
        #expect(draft.parameters?["n"] == TemplateParameter(type: .integer, defaultValue: 2, maximum: 9))

        let keyed = try TemplateDraft.decode(["definition": ["tasks": [:]], "parameters": ["s": ["type": "string", "max_length": 4, "enum": ["ab"]]]])
        #expect(keyed.parameters?["s"] == TemplateParameter(type: .string, allowedValues: ["ab"], maxLength: 4))
    }

    @Test func draftProblemsAreListedTogether() throws {
        let error = try #require(F.error {
            _ = try TemplateDraft.decode([
                "name": 3, "definition": ["tasks": [:]], "workflow_definition_id": "x",
                "parameters": ["a": ["type": "colour"], "b": "string", "c": ["required": true]],
            ])
        })
        #expect(error.code == .invalidTemplate)
        #expect(error.problems.count == 5)
    }

    @Test func documentsRoundTripAndCarryTheirFormatMarker() throws {
        let template = F.greeting()
        let document = TemplateDocument(template)
        let json = try JSONValue.parse(Array(JSONEncoder().encode(document)))
        #expect(json["harmonia_template"] == 1)
        let draft = try TemplateDocument.draft(from: json)
        let rebuilt = WorkflowTemplate(draft: draft, definition: try #require(draft.definition))
        #expect(rebuilt.parameters == template.parameters)
        #expect(rebuilt.definition == template.definition)
        #expect(rebuilt.name == template.name)
        try TemplateValidator.validate(rebuilt)

        #expect(F.error { _ = try TemplateDocument.draft(from: ["name": "x", "definition": ["tasks": [:]]]) }?.code == .invalidTemplate)
        #expect(F.error { _ = try TemplateDocument.draft(from: ["harmonia_template": 2, "definition": [:]]) }?.code == .invalidTemplate)
    }
}

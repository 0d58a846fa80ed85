import Foundation
import HarmoniaAPIModels
import HarmoniaCore
import HarmoniaStorageSQLite
import Hummingbird
import HummingbirdTesting
import Testing

/// `/templates` over HTTP: validation of values, substitution that really runs, versions,
/// import and export, tags, and refusals at create time.
@Suite(.timeLimit(.minutes(2)))
struct TemplateRoutesTests {
    @Test func missingAndInvalidValuesAreOne400ListingEachProblem() async throws {
        try await LiveServer.with { server in
            let http = server.http
            let template = try await http.data(
                TemplateView.self, .post, "/api/v1/templates", json: TemplateBodies.greeting, expect: .created)
            let id = template.templateID

            let missing = try await http.send(.post, "/api/v1/templates/\(id)/instantiate", json: ["parameter_values": [:]])
            let missingError = try missing.expectError(.badRequest, code: "invalid_parameters")
            #expect(missingError.problems?.map(\.path) == ["parameter_values.who"])

            let invalid = try await http.send(
                .post, "/api/v1/templates/\(id)/instantiate",
                json: ["parameterValues": ["who": "7", "times": 9, "region": "mars", "loud": "yes", "colour": "red"]])
            let error = try invalid.expectError(.badRequest, code: "invalid_parameters")
            let problems = try #require(error.problems)
            #expect(problems.allSatisfy { $0.code == "invalid_parameters" })
            let paths = problems.compactMap(\.path)
            for name in ["who", "times", "region", "loud", "colour"] {
                #expect(paths.contains("parameter_values.\(name)"), "no problem names \(name): \(invalid.text)")
            }
            // `who` breaks two rules (length and pattern): both are listed.
            #expect(paths.filter { $0 == "parameter_values.who" }.count == 2)
            #expect(try await server.store.listWorkflows(name: nil, limit: 10, offset: 0).isEmpty, "nothing was stored")
        }
    }

    @Test func validValuesMakeAWorkflowThatRunsWithThem() async throws {
        try await LiveServer.with { server in
            let http = server.http
            let template = try await http.data(
                TemplateView.self, .post, "/api/v1/templates", json: TemplateBodies.greeting, expect: .created)
            let instance = try await http.data(
                TemplateInstance.self, .post, "/api/v1/templates/\(template.templateID)/instantiate",
                json: ["parameter_values": ["who": "Ada", "times": 3, "region": "us"]], expect: .created)
            #expect(instance.templateVersion == 1)
            #expect(instance.workflow.definition.name == "greet Ada")
            #expect(instance.workflow.definition.metadata["template_id"] == .string(template.templateID))
            #expect(instance.workflow.definition.metadata["template_version"] == 1)

            // The stored workflow is an ordinary one: read it back and run it.
            let stored = try await http.data(WorkflowView.self, .get, "/api/v1/workflows/\(instance.workflowID)")
            #expect(stored.definition.task("hello")?.input["times"] == 3)
            let started = try await http.data(
                ExecutionStatusView.self, .post, "/api/v1/executions",
                json: ["workflow_id": .string(instance.workflowID), "input": ["extra": "x"]], expect: .created)
            let done = try await http.waitForExecution(started.executionID)
            #expect(done.execution.status == .completed)
            let hello = try #require(done.execution.tasks?["hello"]?.output)
            #expect(hello["result"] == "Hello, Ada from us!")
            #expect(hello["times"] == 3)
            #expect(hello["loud"] == false)
            #expect(hello["extra"] == "x")
            #expect(done.execution.tasks?["repeat"]?.output?["result"] == 3)
        }
    }

    @Test func updatesAreNewVersionsAndInstancesStayPinned() async throws {
        try await LiveServer.with { server in
            let http = server.http
            let v1 = try await http.data(
                TemplateView.self, .post, "/api/v1/templates", json: TemplateBodies.greeting, expect: .created)
            let id = v1.templateID
            let first = try await http.data(
                TemplateInstance.self, .post, "/api/v1/templates/\(id)/instantiate",
                json: ["parameter_values": ["who": "Ada"]], expect: .created)

            // Version 2 changes the default and the tags only; the definition is kept.
            let v2 = try await http.data(
                TemplateView.self, .put, "/api/v1/templates/\(id)",
                json: ["tags": ["v2"], "parameters": [
                    "who": ["type": "string", "required": true], "times": ["type": "integer", "default": 4],
                    "region": ["type": "string", "default": "eu"], "loud": ["type": "boolean", "default": true],
                ]])
            #expect(v2.template.version == 2)
            #expect(v2.template.definition == v1.template.definition)
            #expect(v2.template.createdAt == v1.template.createdAt)
            let second = try await http.data(
                TemplateInstance.self, .post, "/api/v1/templates/\(id)/instantiate",
                json: ["parameter_values": ["who": "Bob"]], expect: .created)
            #expect(second.templateVersion == 2)
            #expect(second.workflow.definition.task("hello")?.input["times"] == 4)

            // The first instance is untouched, and version 1 is still there to instantiate.
            let firstAgain = try await http.data(WorkflowView.self, .get, "/api/v1/workflows/\(first.workflowID)")
            #expect(firstAgain.definition.task("hello")?.input["times"] == 2)
            #expect(firstAgain.definition.metadata["template_version"] == 1)
            let pinned = try await http.data(
                TemplateInstance.self, .post, "/api/v1/templates/\(id)/instantiate",
                json: ["parameter_values": ["who": "Cy"], "template_version": 1], expect: .created)
            #expect(pinned.templateVersion == 1)
            #expect(pinned.workflow.definition.task("hello")?.input["loud"] == false)
            let old = try await http.data(TemplateView.self, .get, "/api/v1/templates/\(id)?version=1")
            #expect(old.template.tags == ["demo", "greetings"])
            try await http.send(.get, "/api/v1/templates/\(id)?version=7").expectError(.notFound, code: "not_found")

            // Tags follow the newest version.
            let tagged = try await http.data(TemplateList.self, .get, "/api/v1/templates?tag=v2")
            #expect(tagged.templates.map(\.templateID) == [id])
            #expect(try await http.data(TemplateList.self, .get, "/api/v1/templates?tag=demo").count == 0)
        }
    }

    @Test func exportThenImportRoundTrips() async throws {
        try await LiveServer.with { server in
            let http = server.http
            let original = try await http.data(
                TemplateView.self, .post, "/api/v1/templates", json: TemplateBodies.greeting, expect: .created)
            let exportResponse = try await http.send(.get, "/api/v1/templates/\(original.templateID)/export")
            #expect(exportResponse.status == .ok)
            let document = try #require(try JSONValue.parse(exportResponse.body.readableBytesView)["data"])
            #expect(document["harmonia_template"] == 1)
            #expect(document["exported_from"]?["template_id"] == .string(original.templateID))

            let imported = try await http.data(TemplateView.self, .post, "/api/v1/templates/import", json: document, expect: .created)
            #expect(imported.templateID != original.templateID)
            #expect(imported.template.version == 1)
            #expect(imported.template.name == original.template.name)
            #expect(imported.template.parameters == original.template.parameters)
            #expect(imported.template.definition == original.template.definition)
            #expect(imported.template.tags == original.template.tags)
            #expect(imported.template.metadata["imported_from"]?["template_id"] == .string(original.templateID))

            // The whole export answer (envelope included) imports as well, and exporting the
            // copy gives the same document apart from where it came from.
            let again = try await http.data(
                TemplateView.self, .post, "/api/v1/templates/import",
                json: try JSONValue.parse(exportResponse.body.readableBytesView), expect: .created)
            #expect(again.template.parameters == original.template.parameters)
            let reexported = try await http.data(TemplateDocument.self, .get, "/api/v1/templates/\(imported.templateID)/export")
            #expect(reexported.definition == original.template.definition)
            #expect(reexported.parameters == original.template.parameters)

            try await http.send(.post, "/api/v1/templates/import", json: ["name": "x", "definition": ["tasks": [:]]])
                .expectError(.unprocessableContent, code: "invalid_template")
            try await http.send(.post, "/api/v1/templates/import", json: ["harmonia_template": 99, "definition": [:]])
                .expectError(.unprocessableContent, code: "invalid_template")
        }
    }

    @Test func createFromASavedWorkflowListFilterAndDelete() async throws {
        try await LiveServer.with { server in
            let http = server.http
            let workflow = try await http.data(
                WorkflowView.self, .post, "/api/v1/workflows",
                json: ["name": "saved", "tasks": ["a": ["component": "harmonia", "action": "echo", "input": ["message": "${input.m}"]]]],
                expect: .created)
            let fromWorkflow = try await http.data(
                TemplateView.self, .post, "/api/templates",
                json: ["workflow_definition_id": .string(workflow.workflowID), "tags": ["copied"]], expect: .created)
            #expect(fromWorkflow.template.name == "saved")
            #expect(fromWorkflow.template.sourceWorkflowID == workflow.workflowID)
            #expect(fromWorkflow.template.sourceWorkflowVersion == 1)
            #expect(fromWorkflow.template.definition["id"] == nil)
            #expect(fromWorkflow.template.definition["tasks"]?.arrayValue?.first?["input"] == ["message": "${input.m}"])
            let instance = try await http.data(
                TemplateInstance.self, .post, "/api/templates/\(fromWorkflow.templateID)/instantiate", expect: .created)
            #expect(instance.workflowID != workflow.workflowID)

            let greeting = try await http.data(
                TemplateView.self, .post, "/api/v1/templates", json: TemplateBodies.greeting, expect: .created)
            #expect(try await http.data(TemplateList.self, .get, "/api/v1/templates").count == 2)
            let copied = try await http.data(TemplateList.self, .get, "/api/v1/templates?tag=copied")
            #expect(copied.templates.map(\.templateID) == [fromWorkflow.templateID])

            _ = try await http.data(TemplateDeleted.self, .delete, "/api/v1/templates/\(greeting.templateID)")
            try await http.send(.get, "/api/v1/templates/\(greeting.templateID)").expectError(.notFound, code: "not_found")
            try await http.send(.post, "/api/v1/templates/\(greeting.templateID)/instantiate", json: [:])
                .expectError(.notFound, code: "not_found")
            try await http.send(.delete, "/api/v1/templates/\(greeting.templateID)").expectError(.notFound, code: "not_found")
            try await http.send(.post, "/api/v1/templates", json: ["workflow_definition_id": "nope"])
                .expectError(.notFound, code: "not_found")
        }
    }

    /// The original Harmonia README's flow: a template made from an existing workflow, with
    /// parameters `input_file` and `output_format`, instantiated with values. A saved
    /// workflow reads its input, so the values become the instance's `default_input` and
    /// `${input.input_file}` sees them; an execution's own input still wins.
    @Test func aTemplateMadeFromASavedWorkflowFillsItsInput() async throws {
        try await LiveServer.with { server in
            let http = server.http
            let workflow = try await http.data(
                WorkflowView.self, .post, "/api/v1/workflows",
                json: [
                    "name": "process_data",
                    "tasks": [
                        "convert": [
                            "component": "harmonia", "action": "transform",
                            "input": ["value": ["file": "${input.input_file}", "format": "${input.output_format}"]],
                        ]
                    ],
                ], expect: .created)
            let template = try await http.data(
                TemplateView.self, .post, "/api/v1/templates",
                json: [
                    "name": "process_data_template", "workflow_definition_id": .string(workflow.workflowID),
                    "parameters": [
                        "input_file": ["type": "string", "required": true, "description": "Input file path"],
                        "output_format": ["type": "string", "required": false, "default": "json", "description": "Output format"],
                    ],
                ], expect: .created)

            let instance = try await http.data(
                TemplateInstance.self, .post, "/api/v1/templates/\(template.templateID)/instantiate",
                json: ["parameter_values": ["input_file": "/path/to/data.csv", "output_format": "xml"]], expect: .created)
            #expect(instance.workflow.definition.defaultInput == ["input_file": "/path/to/data.csv", "output_format": "xml"])
            let started = try await http.data(
                ExecutionStatusView.self, .post, "/api/v1/workflows/\(instance.workflowID)/execute", json: [:],
                expect: .created)
            let done = try await http.waitForExecution(started.executionID)
            #expect(done.execution.status == .completed)
            #expect(done.execution.tasks?["convert"]?.output?["result"] == ["file": "/path/to/data.csv", "format": "xml"])

            // The default of an optional parameter fills in; a value given at start wins.
            let defaulted = try await http.data(
                TemplateInstance.self, .post, "/api/v1/templates/\(template.templateID)/instantiate",
                json: ["parameter_values": ["input_file": "/in.csv"]], expect: .created)
            let overridden = try await http.data(
                ExecutionStatusView.self, .post, "/api/v1/workflows/\(defaulted.workflowID)/execute",
                json: ["input": ["input_file": "/other.csv"]], expect: .created)
            let second = try await http.waitForExecution(overridden.executionID)
            #expect(second.execution.tasks?["convert"]?.output?["result"] == ["file": "/other.csv", "format": "json"])
            #expect(second.execution.record.input == ["input_file": "/other.csv", "output_format": "json"])
        }
    }

    @Test func templatesMayBeWrittenInYAML() async throws {
        try await LiveServer.with { server in
            let yaml = """
                name: yaml greeting
                tags: [yaml]
                parameters:
                  - name: who
                    type: string
                    required: true
                    maxLength: 10
                definition:
                  name: greet ${params.who}
                  tasks:
                    - name: hello
                      component: harmonia
                      action: echo
                      input: {message: "Hi ${params.who}"}
                """
            let response = try await server.http.executeRequest(
                uri: "/api/v1/templates", method: .post, headers: [.contentType: "application/yaml"],
                body: ByteBuffer(string: yaml))
            #expect(response.status == .created, "\(response.text)")
            let template = try #require(try JSONValue.parse(response.body.readableBytesView)["data"])
            #expect(template["parameters"]?["who"]?["max_length"] == 10)
            let id = try #require(template["template_id"]?.stringValue)
            let instance = try await server.http.data(
                TemplateInstance.self, .post, "/api/v1/templates/\(id)/instantiate", json: ["parameters": ["who": "Ada"]],
                expect: .created)
            #expect(instance.workflow.definition.task("hello")?.input["message"] == "Hi Ada")
        }
    }

    @Test func brokenTemplatesAreRefusedWhenCreated() async throws {
        try await LiveServer.with { server in
            let http = server.http
            let undeclared = try await http.send(
                .post, "/api/v1/templates",
                json: [
                    "name": "t", "parameters": ["a": ["type": "string"]],
                    "definition": ["name": "x", "tasks": ["t": ["component": "harmonia", "action": "echo", "input": ["m": "${params.b}"]]]],
                ])
            let error = try undeclared.expectError(.unprocessableContent, code: "undeclared_parameter")
            #expect(error.path == "definition.tasks.t.input.m")

            let badDeclaration = try await http.send(
                .post, "/api/v1/templates",
                json: [
                    "name": "t", "parameters": ["n": ["type": "integer", "minimum": 5, "maximum": 1], "s": ["type": "colour"]],
                    "definition": ["name": "x", "tasks": ["t": ["component": "harmonia", "action": "noop"]]],
                ])
            let declarationError = try badDeclaration.expectError(.unprocessableContent, code: "invalid_template")
            #expect(declarationError.problems?.count == 2)

            try await http.send(.post, "/api/v1/templates", json: ["name": "t"]).expectError(.badRequest, code: "invalid_request")
            try await http.send(.post, "/api/v1/templates", json: [1]).expectError(.badRequest, code: "invalid_request")
            #expect(try await http.data(TemplateList.self, .get, "/api/v1/templates").count == 0)
        }
    }
}

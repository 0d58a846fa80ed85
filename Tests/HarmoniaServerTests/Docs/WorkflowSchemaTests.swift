import Foundation
import HarmoniaCore
import Hummingbird
import HummingbirdTesting
import Testing

@testable import HarmoniaServer

/// The JSON Schema served at `/api/v1/schemas/workflow.json` agrees with the server: every
/// definition the documentation and the test fixtures create successfully is valid under
/// it, and policies the server refuses for their numbers are invalid under it too.
@Suite("workflow definition JSON Schema")
struct WorkflowSchemaTests {
    static let repositoryRoot = DocExample.documentURL.deletingLastPathComponent().deletingLastPathComponent()

    /// The schema as the server serves it (from the package resource).
    static func servedSchema() throws -> JSONValue {
        let bytes = try #require(SchemaRoutes.workflowSchema)
        return try JSONValue.parse(bytes.readableBytesView)
    }

    /// The definition an example creates, parsed as the server parses it.
    static func definition(of example: DocExample) throws -> JSONValue {
        try DefinitionParser.parse(Array(example.body.utf8), format: example.format == .yaml ? .yaml : .json)
    }

    @Test("served raw under both prefixes as application/schema+json")
    func served() async throws {
        try await TestServer.with { client, _ in
            for prefix in apiPrefixes {
                let response = try await client.send(.get, "\(prefix)/schemas/workflow.json")
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/schema+json")
                let schema = try response.json()
                #expect(schema.value(atPath: "$schema")?.stringValue == "https://json-schema.org/draft/2020-12/schema")
                #expect(schema.value(atPath: "$defs.definition.required") == ["name", "tasks"])
            }
        }
    }

    @Test("the schema uses only keywords the test validator implements")
    func keywordsAreKnown() throws {
        let validator = SchemaSubsetValidator(root: try Self.servedSchema())
        #expect(validator.unknownKeywords() == [])
    }

    @Test("every example the documentation creates successfully is valid")
    func documentedExamplesValidate() throws {
        let validator = SchemaSubsetValidator(root: try Self.servedSchema())
        let examples = WorkflowLanguageExamplesTests.loaded.examples.filter { $0.rejected == nil && !$0.isTemplate }
        #expect(examples.count >= 25)
        for example in examples {
            let errors = validator.errors(try Self.definition(of: example))
            #expect(errors.isEmpty, "\(example.testDescription): \(errors)")
        }
    }

    /// Clients read a definition, change it and send it back with `PUT`: what the server
    /// answers (with `id`, `workflow_id`, `version` and timestamps) must be valid too.
    @Test("the stored definitions the server answers are valid (round trip)")
    func storedDefinitionsValidate() async throws {
        let validator = SchemaSubsetValidator(root: try Self.servedSchema())
        let examples = WorkflowLanguageExamplesTests.loaded.examples.filter { $0.rejected == nil && !$0.isTemplate }
        try await TestServer.with { client, _ in
            for example in examples {
                let response = try await client.send(
                    .post, "/api/v1/workflows", text: example.body,
                    contentType: example.format == .yaml ? "application/yaml" : "application/json")
                #expect(response.status == .created, "\(example.testDescription): \(response.text)")
                let stored = try #require(try response.json().value(atPath: "data"))
                let errors = validator.errors(stored)
                #expect(errors.isEmpty, "\(example.testDescription): \(errors)")
            }
        }
    }

    @Test("examples refused for a number out of range are invalid too")
    func refusedNumbersAreInvalid() throws {
        let validator = SchemaSubsetValidator(root: try Self.servedSchema())
        let refused = WorkflowLanguageExamplesTests.loaded.examples.filter {
            $0.rejected?.code == "invalid_retry_policy" || ["timeout", "checkpoint_interval"].contains($0.rejected?.path)
        }
        #expect(refused.count >= 3)
        for example in refused {
            #expect(!validator.errors(try Self.definition(of: example)).isEmpty, "\(example.testDescription)")
        }
    }

    @Test("docs/examples and the route tests' fixtures are valid", arguments: ["chain.json", "diamond.yaml", "seed.json", "map.json"])
    func shippedExamplesValidate(file: String) throws {
        let validator = SchemaSubsetValidator(root: try Self.servedSchema())
        let url = Self.repositoryRoot.appendingPathComponent("docs/examples/\(file)")
        let definition = try DefinitionParser.parse(Array(try Data(contentsOf: url)))
        #expect(validator.errors(definition).isEmpty, "\(file): \(validator.errors(definition))")
    }

    @Test("the route tests' fixtures are valid")
    func fixturesValidate() throws {
        let validator = SchemaSubsetValidator(root: try Self.servedSchema())
        let fixtures: [String: JSONValue] = [
            "chain": Fixtures.chain, "diamond": Fixtures.diamond, "alwaysFails": Fixtures.alwaysFails,
            "conditional": Fixtures.conditional, "slow": Fixtures.slow, "noop": Fixtures.noop(),
        ]
        for (name, definition) in fixtures {
            #expect(validator.errors(definition).isEmpty, "\(name): \(validator.errors(definition))")
        }
    }

    /// Definitions written as text in any test suite (multi-line string literals holding
    /// `tasks`): each one the server's parser accepts must be valid, unknown keys aside. Literals with
    /// interpolation or escapes are left out, since their text is only known at run time.
    @Test("definition texts in the test suites that the server accepts are valid")
    func testSuiteTextFixturesValidate() throws {
        let validator = SchemaSubsetValidator(root: try Self.servedSchema())
        let tests = Self.repositoryRoot.appendingPathComponent("Tests")
        let files = FileManager.default.enumerator(atPath: tests.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        var accepted = 0
        for file in files.sorted() {
            let text = try String(contentsOf: tests.appendingPathComponent(file), encoding: .utf8)
            for body in Self.multilineLiterals(text) where body.contains("tasks") && !body.contains("\\") {
                guard (try? DefinitionParser.load(Array(body.utf8))) != nil else { continue }
                accepted += 1
                // Unknown keys are the one documented difference: the server ignores them,
                // the schema flags them (to catch typos), and some fixtures test the former.
                let errors = validator.errors(try DefinitionParser.parse(Array(body.utf8))).filter { !$0.hasSuffix(": not allowed") }
                #expect(errors.isEmpty, "\(file): \(errors)\n\(body)")
            }
        }
        #expect(accepted >= 5, "only \(accepted) text fixtures found")
    }

    /// The contents of the multi-line string literals in Swift source: a line ending with
    /// `"""` opens one, the next line starting with `"""` closes it.
    static func multilineLiterals(_ source: String) -> [String] {
        var literals: [String] = []
        var current: [String]?
        for line in source.components(separatedBy: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let lines = current {
                if trimmed.hasPrefix("\"\"\"") {
                    literals.append(dedented(lines.joined(separator: "\n")))
                    current = nil
                } else {
                    current = lines + [line]
                }
            } else if trimmed.hasSuffix("\"\"\"") {
                current = []
            }
        }
        return literals
    }

    /// The literal's text as Swift reads it: the common indentation removed.
    static func dedented(_ text: String) -> String {
        let lines = text.components(separatedBy: "\n")
        let indent = lines.filter { !$0.allSatisfy(\.isWhitespace) }.map { $0.prefix { $0 == " " }.count }.min() ?? 0
        return lines.map { String($0.dropFirst(min(indent, $0.prefix { $0 == " " }.count))) }.joined(separator: "\n")
    }

    @Test("the validator rejects what the schema forbids")
    func validatorCanFail() throws {
        let validator = SchemaSubsetValidator(root: try Self.servedSchema())
        let bad: [JSONValue] = [
            ["name": "x"],
            ["name": "x", "tasks": [:]],
            ["name": "x", "tasks": ["a": ["component": "harmonia"]]],
            ["name": "x", "tasks": [["component": "harmonia", "action": "noop"]]],
            ["name": "x", "tasks": ["a": ["component": "harmonia", "action": "noop", "retry_policy": ["jitter": 2]]]],
            ["name": "x", "tasks": ["a": ["component": "harmonia", "action": "noop", "condition": ["eq": [1]]]]],
            ["name": "x", "retry-policy": [:], "tasks": ["a": ["component": "harmonia", "action": "noop"]]],
        ]
        for definition in bad {
            #expect(!validator.errors(definition).isEmpty, "\(definition.jsonString())")
        }
    }
}

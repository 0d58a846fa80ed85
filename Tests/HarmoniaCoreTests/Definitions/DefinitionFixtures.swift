import HarmoniaCore
import Testing

/// Shared helpers for the definition tests (namespaced: the test target is shared).
enum DefinitionFixtures {
    /// Parses `text` (JSON or YAML) and decodes it, without graph validation.
    static func decode(_ text: String, id: String? = nil) throws -> WorkflowDefinition {
        try DefinitionParser.decode(DefinitionParser.parse(Array(text.utf8)), id: id)
    }

    /// Parses, decodes and validates `text`.
    static func load(_ text: String) throws -> WorkflowDefinition {
        try DefinitionParser.load(Array(text.utf8))
    }

    /// A definition with tasks `specs` given as (id, depends_on, input).
    static func workflow(_ specs: [(String, [String], JSONValue)]) -> WorkflowDefinition {
        WorkflowDefinition(
            name: "w",
            tasks: specs.map { TaskDefinition(id: $0.0, component: "harmonia", action: "echo", input: $0.2, dependsOn: $0.1) })
    }

    /// The error `body` throws, failing the test when it throws nothing or something else.
    static func error(
        sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
    ) -> HarmoniaError? {
        #expect(throws: HarmoniaError.self, sourceLocation: sourceLocation) { try body() }
    }

    /// Whether `error` lists a problem with `code` at `path`.
    static func has(_ error: HarmoniaError?, _ code: HarmoniaError.Code, at path: String?) -> Bool {
        guard let error else { return false }
        let all = error.problems.isEmpty
            ? [HarmoniaError.Problem(code: error.code.rawValue, message: error.message, path: error.path)]
            : error.problems
        return all.contains { $0.code == code.rawValue && $0.path == path }
    }
}

import ArgumentParser
import HarmoniaClient

/// `harmonia templates create [FILE]`: stores a template and prints its id.
struct TemplatesCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Store a template from a file, or from a saved workflow, and print its id.",
        discussion: """
            FILE holds a template: name, description, definition (a workflow definition with \
            ${params.NAME} placeholders), parameters (keyed by name: type, required, default, enum, \
            minimum, maximum, min_length, max_length, pattern, description) and tags. \
            With --from-workflow the definition is copied from a saved workflow instead.
            """)

    @Argument(help: "The template file (.json, .yaml or .yml).")
    var file: String?

    @Option(name: .customLong("from-workflow"), help: "Copy the definition of this saved workflow.")
    var fromWorkflow: String?

    @Option(help: "The template's name (default: the file's, or the workflow's).")
    var name: String?

    @Option(name: .customLong("tag"), help: "A tag (repeatable); added to the file's tags.")
    var tags: [String] = []

    @Option(name: .customLong("parameters"), help: "A file of parameter declarations keyed by name.")
    var parametersFile: String?

    @OptionGroup var client: ClientOptions

    func validate() throws {
        if file == nil, fromWorkflow == nil {
            throw ValidationError("give a template FILE or --from-workflow ID")
        }
    }

    func run() async throws {
        var body = try file.map { try TemplateFile.load(path: $0, what: "template") } ?? [:]
        if let fromWorkflow { body["workflow_definition_id"] = .string(fromWorkflow) }
        if let name { body["name"] = .string(name) }
        if !tags.isEmpty {
            let existing = body["tags"]?.arrayValue ?? []
            body["tags"] = .array(existing + tags.map(JSONValue.string))
        }
        if let parametersFile {
            body["parameters"] = .object(try TemplateFile.load(path: parametersFile, what: "parameters"))
        }
        let template = try await client.reportingProblems { try await $0.createTemplate(.object(body)) }
        print(template.templateID)
    }
}

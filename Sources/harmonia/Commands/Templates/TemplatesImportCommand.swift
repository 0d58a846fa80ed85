import ArgumentParser
import HarmoniaClient

/// `harmonia templates import FILE`: a new template from an exported document.
struct TemplatesImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import a template document (from `templates export`) and print the new id.")

    @Argument(help: "The template document (.json, .yaml or .yml).")
    var file: String

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let document = try TemplateFile.load(path: file, what: "template document")
        let template = try await client.reportingProblems { try await $0.importTemplate(.object(document)) }
        print(template.templateID)
    }
}

import ArgumentParser
import HarmoniaClient

/// `harmonia templates show ID`: the template as JSON.
struct TemplatesShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print a template as JSON.")

    @Argument(help: "The template id.")
    var id: String

    @Option(help: "A specific version (default: the newest).")
    var version: Int?

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let template = try await client.reportingProblems { try await $0.getTemplate(id: id, version: version) }
        print(try ExecutionPrinter.json(template))
    }
}

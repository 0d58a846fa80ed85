import ArgumentParser
import Foundation
import HarmoniaClient

/// `harmonia templates export ID`: the portable document, to stdout or a file.
struct TemplatesExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Print a template as a portable JSON document (for `templates import`).")

    @Argument(help: "The template id.")
    var id: String

    @Option(help: "A specific version (default: the newest).")
    var version: Int?

    @Option(name: [.short, .long], help: "Write the document to this file instead of stdout.")
    var output: String?

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let document = try await client.reportingProblems { try await $0.exportTemplate(id: id, version: version) }
        let text = try ExecutionPrinter.json(document) + "\n"
        guard let output else {
            print(text, terminator: "")
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output))
        } catch {
            throw CLIError("cannot write '\(output)': \(error.localizedDescription)")
        }
        Terminal.status("wrote \(output)")
    }
}

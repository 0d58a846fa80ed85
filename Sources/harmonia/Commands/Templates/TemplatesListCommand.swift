import ArgumentParser
import HarmoniaClient

/// `harmonia templates list`: live templates, most recently updated first.
struct TemplatesListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List templates.")

    @Option(help: "Only templates with this tag.")
    var tag: String?

    @Option(help: "Only templates with this name.")
    var name: String?

    @Option(help: "At most this many rows.")
    var limit: Int = 50

    @Option(help: "Skip this many rows first.")
    var offset: Int = 0

    @Flag(help: "Print the page as JSON.")
    var json = false

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let page = try await client.reportingProblems {
            try await $0.listTemplates(tag: tag, name: name, limit: limit, offset: offset)
        }
        if json {
            print(try ExecutionPrinter.json(page))
            return
        }
        if page.templates.isEmpty {
            Terminal.status("no templates")
            return
        }
        var table = Table("ID", "NAME", "VERSION", "PARAMETERS", "TAGS", "UPDATED")
        for view in page.templates {
            let t = view.template
            table.add(
                t.id, t.name, String(t.version), t.parameterNames.joined(separator: ","), t.tags.joined(separator: ","),
                APICoding.formatTimestamp(t.updatedAt))
        }
        print(table.render(), terminator: "")
    }
}

import ArgumentParser
import HarmoniaClient

/// `harmonia workflows list`: live workflows, newest first.
struct WorkflowsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List stored workflows.")

    @Option(help: "Only workflows with this name.")
    var name: String?

    @Option(help: "At most this many rows.")
    var limit: Int = 50

    @Option(help: "Skip this many rows first.")
    var offset: Int = 0

    @Flag(help: "Print the page as JSON.")
    var json = false

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let page = try await client.withClient { try await $0.listWorkflows(name: name, limit: limit, offset: offset) }
        if json {
            print(try ExecutionPrinter.json(page))
            return
        }
        if page.workflows.isEmpty {
            Terminal.status("no workflows")
            return
        }
        var table = Table("ID", "NAME", "VERSION", "TASKS", "UPDATED")
        for workflow in page.workflows {
            let d = workflow.definition
            table.add(d.id, d.name, String(d.version), String(d.tasks.count), APICoding.formatTimestamp(d.updatedAt))
        }
        print(table.render(), terminator: "")
    }
}

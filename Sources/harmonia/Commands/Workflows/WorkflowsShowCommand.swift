import ArgumentParser
import HarmoniaClient

/// `harmonia workflows show ID`: the stored definition as JSON.
struct WorkflowsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print a stored workflow definition as JSON.")

    @Argument(help: "The workflow id.")
    var id: String

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let workflow = try await client.withClient { try await $0.getWorkflow(id: id) }
        print(try ExecutionPrinter.json(workflow))
    }
}

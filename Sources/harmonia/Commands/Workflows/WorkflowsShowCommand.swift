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
        print(try ExecutionPrinter.json(try await client.makeClient().getWorkflow(id: id)))
    }
}

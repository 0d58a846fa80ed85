import ArgumentParser
import HarmoniaClient

/// `harmonia workflows delete ID`.
struct WorkflowsDeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a stored workflow.")

    @Argument(help: "The workflow id.")
    var id: String

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let result = try await client.withClient { try await $0.deleteWorkflow(id: id) }
        print("\(result.workflowID) deleted")
    }
}

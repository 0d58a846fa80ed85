import ArgumentParser
import HarmoniaClient

/// `harmonia workflows create FILE`: validates and stores a definition; prints its id.
struct WorkflowsCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Store a workflow from a JSON or YAML file and print its id.")

    @Argument(help: "The workflow definition file (.json, .yaml or .yml).")
    var file: String

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let workflow = try await client.makeClient().createWorkflow(WorkflowFile.load(path: file))
        print(workflow.workflowID)
    }
}

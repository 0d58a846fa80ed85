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
        let definition = try WorkflowFile.load(path: file)
        let workflow = try await client.withClient { try await $0.createWorkflow(definition) }
        Terminal.warnings(workflow.warnings)
        print(workflow.workflowID)
    }
}

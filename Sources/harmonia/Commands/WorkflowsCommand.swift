import ArgumentParser

/// `harmonia workflows ...`: stored workflow definitions.
struct WorkflowsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workflows",
        abstract: "Create, list, show and delete stored workflows.",
        subcommands: [
            WorkflowsCreateCommand.self,
            WorkflowsListCommand.self,
            WorkflowsShowCommand.self,
            WorkflowsDeleteCommand.self,
        ]
    )
}

import ArgumentParser

/// `harmonia templates ...`: reusable workflows with typed parameters.
struct TemplatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates",
        abstract: "Create, list, show, instantiate, import and export workflow templates.",
        subcommands: [
            TemplatesCreateCommand.self,
            TemplatesListCommand.self,
            TemplatesShowCommand.self,
            TemplatesInstantiateCommand.self,
            TemplatesImportCommand.self,
            TemplatesExportCommand.self,
        ]
    )
}

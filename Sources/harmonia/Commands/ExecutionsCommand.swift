import ArgumentParser

/// `harmonia executions ...`: inspect and control executions on a running server.
struct ExecutionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "executions",
        abstract: "List, show, explain, cancel, pause, resume and signal executions.",
        subcommands: [
            ExecutionsListCommand.self,
            ExecutionsShowCommand.self,
            ExecutionsEventsCommand.self,
            ExecutionsExplainCommand.self,
            ExecutionControlCommand.Cancel.self,
            ExecutionControlCommand.Pause.self,
            ExecutionControlCommand.Resume.self,
            ExecutionsSignalCommand.self,
        ]
    )
}

import ArgumentParser

/// `harmonia checkpoints ...`: snapshots of executions, and restoring from them.
struct CheckpointsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoints",
        abstract: "Checkpoint an execution, list its checkpoints, and restore one into a new execution.",
        subcommands: [
            CheckpointsCreateCommand.self,
            CheckpointsListCommand.self,
            CheckpointsRestoreCommand.self,
        ]
    )
}

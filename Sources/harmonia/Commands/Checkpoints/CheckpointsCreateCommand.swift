import ArgumentParser
import HarmoniaClient

/// `harmonia checkpoints create EXECUTION_ID`: prints the checkpoint's id.
struct CheckpointsCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Checkpoint an execution (any status) and print the checkpoint's id.")

    @Argument(help: "The execution id.")
    var executionID: String

    @Option(help: "Why (default: manual).")
    var reason: String?

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let checkpoint = try await client.reportingProblems {
            try await $0.createCheckpoint(executionID: executionID, reason: reason)
        }
        print(checkpoint.checkpointID)
    }
}

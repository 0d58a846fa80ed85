import ArgumentParser
import HarmoniaClient

/// `harmonia checkpoints restore CHECKPOINT_ID`: prints the new execution's id.
struct CheckpointsRestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Start a new execution from a checkpoint (completed tasks are kept) and print its id.")

    @Argument(help: "The checkpoint id.")
    var checkpointID: String

    @Flag(help: "Wait for the new execution to finish and fail if it does not complete.")
    var wait = false

    @OptionGroup var client: ClientOptions

    func run() async throws {
        try await client.reportingProblems { client in
            let restored = try await client.restoreFromCheckpoint(checkpointID: checkpointID)
            print(restored.executionID)
            Terminal.status(
                "restored from execution \(restored.originalExecutionID); kept \(restored.keptTasks.isEmpty ? "no tasks" : restored.keptTasks.joined(separator: ", "))")
            guard wait else { return }
            let done = try await client.waitForCompletion(executionID: restored.executionID)
            guard done.execution.status == .completed else {
                throw CLIError("execution \(restored.executionID) ended \(done.execution.status.rawValue)")
            }
        }
    }
}

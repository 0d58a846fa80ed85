import ArgumentParser
import HarmoniaClient

/// `harmonia executions cancel|pause|resume ID`.
///
/// The server answers 409 (`invalid_state`) when the execution's state does not allow the
/// request, such as resuming a running execution; the CLI shows that message and exits 1.
enum ExecutionControlCommand {
    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel", abstract: "Cancel an execution (in-flight tasks are canceled).")

        @Argument(help: "The execution id.")
        var id: String

        @Option(help: "Why; recorded on the execution.")
        var reason: String?

        @OptionGroup var client: ClientOptions

        func run() async throws {
            let result = try await client.withClient { try await $0.cancelWorkflow(executionID: id, reason: reason) }
            print("\(result.executionID) \(result.status.rawValue)")
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pause", abstract: "Pause an execution (running tasks finish, no new ones start).")

        @Argument(help: "The execution id.")
        var id: String

        @OptionGroup var client: ClientOptions

        func run() async throws {
            let result = try await client.withClient { try await $0.pauseWorkflow(executionID: id) }
            print("\(result.executionID) \(result.status.rawValue)")
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resume", abstract: "Resume a paused execution.")

        @Argument(help: "The execution id.")
        var id: String

        @OptionGroup var client: ClientOptions

        func run() async throws {
            let result = try await client.withClient { try await $0.resumeWorkflow(executionID: id) }
            print("\(result.executionID) \(result.status.rawValue)")
        }
    }
}

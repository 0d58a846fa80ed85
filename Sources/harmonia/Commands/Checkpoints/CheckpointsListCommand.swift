import ArgumentParser
import HarmoniaClient

/// `harmonia checkpoints list EXECUTION_ID`: the execution's checkpoints, oldest first.
struct CheckpointsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List an execution's checkpoints, oldest first.")

    @Argument(help: "The execution id.")
    var executionID: String

    @Flag(help: "Print the list as JSON.")
    var json = false

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let list = try await client.reportingProblems { try await $0.listCheckpoints(executionID: executionID) }
        if json {
            print(try ExecutionPrinter.json(list))
            return
        }
        if list.checkpoints.isEmpty {
            Terminal.status("no checkpoints")
            return
        }
        var table = Table("ID", "SEQ", "REASON", "STATUS", "COMPLETED", "CREATED")
        for c in list.checkpoints {
            table.add(
                c.id, String(c.seq), c.reason, c.status.rawValue, c.completedTasks.joined(separator: ","),
                APICoding.formatTimestamp(c.createdAt))
        }
        print(table.render(), terminator: "")
    }
}

import ArgumentParser
import HarmoniaClient

/// `harmonia executions show ID`: one execution with every task.
struct ExecutionsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show an execution and its tasks.")

    @Argument(help: "The execution id.")
    var id: String

    @Flag(help: "Print the full execution (input, outputs, errors, definition) as JSON.")
    var json = false

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let detail = try await client.withClient { try await $0.getExecution(id: id) }
        if json {
            print(try ExecutionPrinter.json(detail))
        } else {
            print(ExecutionPrinter.summary(detail), terminator: "")
        }
    }
}

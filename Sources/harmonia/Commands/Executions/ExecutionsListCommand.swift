import ArgumentParser
import HarmoniaClient

/// `harmonia executions list`: execution rows, newest first.
struct ExecutionsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List executions, newest first.")

    @Option(help: "Only executions in this status (pending, running, paused, completed, failed, canceled).")
    var status: WorkflowStatus?

    @Option(name: .customLong("workflow-id"), help: "Only executions of this workflow.")
    var workflowID: String?

    @Option(help: "At most this many rows.")
    var limit: Int = 50

    @Option(help: "Skip this many rows first.")
    var offset: Int = 0

    @Flag(help: "Print the page as JSON.")
    var json = false

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let page = try await client.withClient {
            try await $0.listExecutions(status: status, workflowID: workflowID, limit: limit, offset: offset)
        }
        if json {
            print(try ExecutionPrinter.json(page))
        } else if page.executions.isEmpty {
            Terminal.status("no executions")
        } else {
            print(ExecutionPrinter.list(page.executions), terminator: "")
        }
    }
}

extension WorkflowStatus: ExpressibleByArgument {}

import ArgumentParser
import HarmoniaClient

/// `harmonia executions explain ID`: why an execution is not moving.
struct ExecutionsExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Say what each unfinished task of an execution waits for, and whether it can progress.",
        discussion: "Exits 0 when the execution can progress or has finished, 3 when it is stuck (a task can never finish without an operator).")

    @Argument(help: "The execution id.")
    var id: String

    @Flag(help: "Print the explanation as JSON.")
    var json = false

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let explanation = try await client.withClient { api in try await api.explainExecution(id: id) }
        if json {
            print(try ExecutionPrinter.json(explanation))
        } else {
            print("\(explanation.executionID) \(explanation.status.rawValue): \(explanation.summary)")
            if !explanation.tasks.isEmpty {
                var table = Table("TASK", "STATUS", "WAITING FOR", "DETAIL")
                for task in explanation.tasks {
                    table.add(task.taskID, task.status.rawValue, task.waitingFor, task.detail)
                }
                print(table.render(), terminator: "")
            }
        }
        if !explanation.canProgress && !explanation.status.isTerminal {
            throw ExitCode(3)
        }
    }
}

import ArgumentParser
import Foundation
import HarmoniaClient

/// `harmonia run FILE`: stores the workflow in FILE on a running server and executes it.
///
/// A stored workflow with the same name is reused when its definition is the same and gets
/// a new version when it differs (`WorkflowReuse`), so running a file again piles up nothing.
///
/// Without `--wait` it prints the execution id and returns, so scripts can start work and
/// follow it with `harmonia executions show`. With `--wait` the exit status tells the
/// outcome (0 completed, 1 failed or canceled), which is what a shell script or a CI step
/// needs.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Store a workflow from a JSON or YAML file (reusing an identical stored one) and execute it.",
        discussion: """
            The workflow is stored under its name: when the newest stored workflow with that name has the same definition it is reused, when the definition differs it is stored as that workflow's next version, and otherwise a new workflow is created (a file that sets its own id is always sent as is).

            --input key=value sets one input field; the value is parsed as JSON when it is valid JSON (numbers, true/false, null, objects, arrays, "quoted strings") and taken as a string otherwise. --input-json sets the whole input object; --input pairs override it.

            Without --wait or --watch the execution id is printed. With --watch the execution is followed live (see `harmonia watch`). With --wait the exit status is 0 when the execution completed, 1 when it failed or was canceled, and 2 when --timeout passed first.
            """
    )

    @Argument(help: "The workflow definition file (.json, .yaml or .yml).")
    var file: String

    @Option(name: .customLong("input"), help: "An input field as key=value (repeatable).")
    var inputPairs: [String] = []

    @Option(name: .customLong("input-json"), help: "The whole input as a JSON object.")
    var inputJSON: String?

    @Flag(help: "Wait until the execution finishes and print a per-task summary.")
    var wait = false

    @Flag(help: "Follow the execution live (progress bar and a line per task) until it finishes.")
    var watch = false

    @Option(help: "With --wait, give up after this many seconds (exit status 2).")
    var timeout: Double = 3600

    @Flag(help: "Print the final execution as JSON instead of the summary (with --wait).")
    var json = false

    @OptionGroup var client: ClientOptions

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        let definition = try WorkflowFile.load(path: file)
        let input = try InputParsing.buildInput(json: inputJSON, pairs: inputPairs)
        guard let detail = try await client.withClient({ try await run(definition, input: input, api: $0) }) else {
            return
        }
        if json {
            print(try ExecutionPrinter.json(detail))
        } else {
            print(ExecutionPrinter.summary(detail), terminator: "")
        }
        if detail.execution.status != .completed { throw ExitCode(1) }
    }

    /// Creates and starts the workflow; with `--wait` returns the finished execution, else
    /// prints the execution id and returns nil.
    private func run(_ definition: JSONValue, input: JSONValue, api: HarmoniaClient) async throws -> ExecutionDetail? {
        let (workflow, outcome) = try await WorkflowReuse.store(definition, api: api)
        Terminal.warnings(workflow.warnings)
        let named = "workflow \(workflow.definition.name) (\(workflow.workflowID))"
        switch outcome {
        case .created: break
        case .reused(let version): Terminal.status("\(named): the stored version \(version) is the same; reusing it")
        case .updated(let version): Terminal.status("\(named): the definition changed; stored as version \(version)")
        }
        let started = try await api.executeWorkflow(workflowID: workflow.workflowID, input: input)
        if watch {
            let status = try await Watcher.watch(api, executionID: started.executionID, redraw: Watcher.isTerminal)
            if status != .completed { throw ExitCode(1) }
            return nil
        }
        guard wait else {
            print(started.executionID)
            return nil
        }
        Terminal.status("workflow \(workflow.definition.name) (\(workflow.workflowID)), execution \(started.executionID)")
        do {
            return try await api.waitForCompletion(
                executionID: started.executionID, timeout: .milliseconds(Int(timeout * 1000)),
                pollInterval: .milliseconds(100))
        } catch let error as HarmoniaClientError where error.code == HarmoniaClientError.Code.timeout {
            Terminal.status("error: \(error.detail)")
            throw ExitCode(2)
        }
    }
}

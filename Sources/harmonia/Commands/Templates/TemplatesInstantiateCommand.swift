import ArgumentParser
import Foundation
import HarmoniaClient

/// `harmonia templates instantiate ID --param k=v ...`: makes a workflow; prints its id.
struct TemplatesInstantiateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "instantiate",
        abstract: "Make a workflow from a template with parameter values and print the workflow's id.",
        discussion: """
            Values given as k=v are JSON when they parse as JSON (count=3 is a number, \
            flag=true a boolean), else strings; quote to force a string: zip='"01234"'. \
            Every missing or invalid value is reported at once. With --run the new workflow is \
            started too, and the execution's id is printed instead (the workflow's goes to stderr).
            """)

    @Argument(help: "The template id.")
    var id: String

    @Option(name: .customLong("param"), help: "A parameter value as name=value (repeatable).")
    var params: [String] = []

    @Option(name: .customLong("params-json"), help: "Parameter values as one JSON object (pairs override it).")
    var paramsJSON: String?

    @Option(help: "The new workflow's name (default: the template definition's).")
    var name: String?

    @Option(help: "Instantiate this template version instead of the newest.")
    var version: Int?

    @Flag(name: .customLong("run"), help: "Also start an execution of the new workflow and print the execution's id.")
    var start = false

    @Option(name: .customLong("input"), help: "With --run, an input field as key=value (repeatable).")
    var input: [String] = []

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let values: JSONValue
        do {
            values = try InputParsing.buildInput(json: paramsJSON, pairs: params)
        } catch let error as CLIError {
            throw CLIError(error.description.replacingOccurrences(of: "--input", with: "--param"))
        }
        let executionInput = try InputParsing.buildInput(json: nil, pairs: input)
        try await client.reportingProblems { client in
            let instance = try await client.instantiateTemplate(
                id: id, parameterValues: values.objectValue ?? [:], name: name, templateVersion: version)
            guard start else {
                print(instance.workflowID)
                return
            }
            Terminal.status("workflow \(instance.workflowID) (template version \(instance.templateVersion))")
            let execution = try await client.executeWorkflow(workflowID: instance.workflowID, input: executionInput)
            print(execution.executionID)
        }
    }
}

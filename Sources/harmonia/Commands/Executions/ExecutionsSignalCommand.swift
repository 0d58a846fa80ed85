import ArgumentParser
import Foundation
import HarmoniaClient
import HarmoniaCore

/// `harmonia executions signal ID NAME [--data JSON | --data-file PATH]`: sends a signal
/// that a `harmonia.wait_for_signal` task waiting for NAME completes with.
struct ExecutionsSignalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signal",
        abstract: "Send a signal (a JSON payload) to an execution; a task waiting for it completes with the payload.")

    @Argument(help: "The execution id.")
    var id: String

    @Argument(help: "The signal name (1-128 characters of A-Z a-z 0-9 _ . -).")
    var name: String

    @Option(help: "The payload: any JSON value (default null).")
    var data: String?

    @Option(help: "Read the payload from a JSON file ('-' for standard input).")
    var dataFile: String?

    @OptionGroup var client: ClientOptions

    func validate() throws {
        if data != nil && dataFile != nil { throw ValidationError("use --data or --data-file, not both") }
    }

    func run() async throws {
        let payload = try readPayload()
        let signal = try await client.withClient { try await $0.sendSignal(executionID: id, name: name, payload: payload) }
        if let task = signal.consumedBy {
            print("\(signal.executionID) signal \(signal.name) consumed by task \(task)")
        } else {
            print("\(signal.executionID) signal \(signal.name) pending (kept until a task waits for it)")
        }
    }

    private func readPayload() throws -> JSONValue {
        let text: String
        let source: String
        if let data {
            text = data
            source = "--data"
        } else if let dataFile {
            source = "--data-file \(dataFile)"
            do {
                let bytes = dataFile == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: dataFile))
                text = String(decoding: bytes, as: UTF8.self)
            } catch {
                throw CLIError("cannot read \(dataFile): \(error.localizedDescription)")
            }
        } else {
            return .null
        }
        do {
            return try JSONValue.parse(text)
        } catch {
            throw CLIError("\(source) is not valid JSON: \(error)")
        }
    }
}

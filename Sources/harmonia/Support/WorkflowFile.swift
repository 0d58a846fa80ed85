import Foundation
import HarmoniaCore

/// Reads a workflow definition file (JSON or YAML) into the JSON value the API accepts.
///
/// YAML is converted here rather than on the server so that the request is always JSON and
/// a syntax error names the file, line and column before anything is sent.
enum WorkflowFile {
    static func load(path: String) throws -> JSONValue {
        let url = URL(fileURLWithPath: path)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "it cannot be read" : "no such file"
            throw CLIError("cannot read workflow file '\(path)': \(reason)")
        }
        let format: DefinitionFormat
        switch url.pathExtension.lowercased() {
        case "json": format = .json
        case "yaml", "yml": format = .yaml
        default: format = .auto
        }
        let value: JSONValue
        do {
            value = try DefinitionParser.parse(Array(data), format: format)
        } catch let error as HarmoniaError {
            throw CLIError("'\(path)' is not a valid \(format == .yaml ? "YAML" : "JSON") workflow file: \(error.message)")
        } catch {
            throw CLIError("'\(path)' is not a valid workflow file: \(error)")
        }
        guard value.objectValue != nil else {
            throw CLIError("'\(path)' must hold a workflow object (name, tasks), got \(value.typeName)")
        }
        return value
    }
}

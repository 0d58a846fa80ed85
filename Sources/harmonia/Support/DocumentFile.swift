import Foundation
import HarmoniaCore

/// Reads a JSON or YAML file holding one object (a workflow, a template, a template
/// document, a map of parameter declarations), naming the file and the problem when it
/// cannot.
///
/// YAML is converted here rather than on the server so that the request is always JSON and
/// a syntax error names the file, line and column before anything is sent.
enum DocumentFile {
    /// The file's object; `what` names the kind in errors ("workflow", "template").
    static func object(path: String, what: String) throws -> [String: JSONValue] {
        let url = URL(fileURLWithPath: path)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "it cannot be read" : "no such file"
            throw CLIError("cannot read \(what) file '\(path)': \(reason)")
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
            let kind = format == .yaml ? "YAML " : format == .json ? "JSON " : ""
            throw CLIError("'\(path)' is not a valid \(kind)\(what) file: \(error.message)")
        } catch {
            throw CLIError("'\(path)' is not a valid \(what) file: \(error)")
        }
        guard let object = value.objectValue else {
            throw CLIError("'\(path)' must hold a \(what) object, got \(value.typeName)")
        }
        return object
    }
}

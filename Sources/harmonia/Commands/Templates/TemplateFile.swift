import Foundation
import HarmoniaClient
import HarmoniaCore

/// Reads a JSON or YAML file holding one object (a template, a template document, a map of
/// parameter declarations), naming the file and the problem when it cannot.
enum TemplateFile {
    static func load(path: String, what: String) throws -> [String: JSONValue] {
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
            throw CLIError("'\(path)' is not a valid \(what) file: \(error.message)")
        }
        guard let object = value.objectValue else {
            throw CLIError("'\(path)' must hold a \(what) object, got \(value.typeName)")
        }
        return object
    }
}

extension HarmoniaClientError {
    /// The error as the CLI prints it: the server's line, then one line per problem, so a
    /// person fixing parameter values sees every one of them at once.
    var report: CLIError {
        guard problems.count > 1 || (problems.count == 1 && problems[0].message != detail) else {
            return CLIError(description)
        }
        let lines = problems.map { "  - \($0.message)" }
        return CLIError(([description] + lines).joined(separator: "\n"))
    }
}

extension ClientOptions {
    /// `withClient`, with server errors printed problem by problem.
    func reportingProblems<Result>(_ body: (HarmoniaClient) async throws -> Result) async throws -> Result {
        do {
            return try await withClient(body)
        } catch let error as HarmoniaClientError {
            throw error.report
        }
    }
}

import Foundation
import HarmoniaClient
import HarmoniaCore

/// Reads a JSON or YAML file holding one object (a template, a template document, a map of
/// parameter declarations); see `DocumentFile`.
enum TemplateFile {
    static func load(path: String, what: String) throws -> [String: JSONValue] {
        try DocumentFile.object(path: path, what: what)
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

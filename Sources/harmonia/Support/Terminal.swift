import Foundation
import HarmoniaCore

/// Where the CLI writes what is not its result.
///
/// Results (ids, tables, JSON) go to stdout so they can be piped; progress and diagnostics
/// go to stderr.
enum Terminal {
    static func status(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Prints the server's warnings about a stored definition, one line each, with the path.
    static func warnings(_ warnings: [HarmoniaError.Problem]) {
        for warning in warnings {
            status("warning: \(warning.message)" + (warning.path.map { " (at \($0))" } ?? ""))
        }
    }
}

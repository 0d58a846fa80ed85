import Foundation

/// Where the CLI writes what is not its result.
///
/// Results (ids, tables, JSON) go to stdout so they can be piped; progress and diagnostics
/// go to stderr.
enum Terminal {
    static func status(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

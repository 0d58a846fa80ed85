import HarmoniaPluginKit

/// What Ergon's execute stream said, folded from its SSE events:
/// `{"line": "[stdout] ..."}`, `{"line": "[stderr] ..."}`, `{"error": "..."}`, `{"done": true}`.
///
/// The exit status is not taken from Ergon (its `exit_code` is unreliable) but from the
/// marker line the wrapped command prints last: `__HARMONIA_EXIT__=<status>`.
struct SandboxTranscript: Sendable, Hashable {
    var stdoutLines: [String] = []
    var stderrLines: [String] = []
    /// `error` events (a failed sandbox or command start, not the command's own stderr).
    var errors: [String] = []
    /// True once `{"done": true}` arrived.
    var done = false
    /// The status from the marker line; nil when the command never printed it.
    var exitCode: Int?

    static let stdoutPrefix = "[stdout] "
    static let stderrPrefix = "[stderr] "

    /// Folds the data payloads of an execute stream.
    init(events: [String]) {
        for event in events { apply(event) }
    }

    init() {}

    private mutating func apply(_ data: String) {
        guard let json = try? PluginJSON.parse(data) else {
            // Not JSON: keep the text rather than lose output.
            stdoutLines.append(data)
            return
        }
        if let line = json["line"]?.stringValue {
            if line.hasPrefix(Self.stderrPrefix) {
                stderrLines.append(String(line.dropFirst(Self.stderrPrefix.count)))
            } else if line.hasPrefix(Self.stdoutPrefix) {
                appendStdout(String(line.dropFirst(Self.stdoutPrefix.count)))
            } else {
                appendStdout(line)
            }
        }
        if let error = json["error"], !error.isNull {
            errors.append(error.stringValue ?? error.jsonString())
        }
        if json["done"]?.boolValue == true { done = true }
    }

    private mutating func appendStdout(_ line: String) {
        if let status = ExitMarker.status(in: line) {
            exitCode = status
        } else {
            stdoutLines.append(line)
        }
    }

    /// The command's output in the adapter's common shape.
    var result: CommandResult {
        CommandResult(
            stdout: stdoutLines.map { $0 + "\n" }.joined(), stderr: stderrLines.map { $0 + "\n" }.joined(),
            exitCode: exitCode)
    }
}

/// The line a wrapped command prints last so the exit status survives any transport.
enum ExitMarker {
    static let prefix = "__HARMONIA_EXIT__="

    /// Wraps a shell command line so it reports its status: `<cmd>; echo __HARMONIA_EXIT__=$?`.
    static func wrap(_ commandLine: String) -> [String] {
        ["sh", "-c", "\(commandLine); echo \(prefix)$?"]
    }

    /// The status a marker line carries, or nil when `line` is not a marker.
    static func status(in line: String) -> Int? {
        var text = Substring(line)
        while text.last == "\r" || text.last == " " { text.removeLast() }
        guard text.hasPrefix(prefix) else { return nil }
        return Int(text.dropFirst(prefix.count))
    }
}

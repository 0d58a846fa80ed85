import Foundation
import HarmoniaPluginKit

/// What Ergon's execute stream said, folded from its SSE events:
/// `{"line": "[stdout] ..."}`, `{"line": "[stderr] ..."}`, `{"line": "[error] ..."}`,
/// `{"error": "..."}`, `{"done": true}`.
///
/// Observed on the real Ergon (2025-09-27): its providers turn their own failures into
/// `[error]` *lines* (`[error] Execution timeout exceeded`, `[error] Execution failed: …`);
/// only an unknown sandbox comes as an `error` member. The sandbox-exec provider yields the
/// output line by line (each right-trimmed, the last one even without its newline); the
/// Docker provider splits each chunk it reads into lines, so one line, the exit marker
/// included, can arrive in several pieces.
///
/// The exit status is not taken from Ergon (its `exit_code` is unreliable, and always null
/// with Docker) but from the marker the wrapped command prints last:
/// `__HARMONIA_EXIT__=<status>`.
struct SandboxTranscript: Sendable, Hashable {
    /// stdout as delivered: one piece per `[stdout]` line (a piece may be part of a line).
    var stdoutPieces: [String] = []
    var stderrLines: [String] = []
    /// `error` members and `[error]` lines other than the timeout (a failed sandbox or
    /// command start, not the command's own stderr).
    var errors: [String] = []
    /// True when Ergon reported that the command ran out of time (`[error] Execution timeout exceeded`).
    var timedOut = false
    /// True once `{"done": true}` arrived.
    var done = false

    static let stdoutPrefix = "[stdout] "
    static let stderrPrefix = "[stderr] "
    static let errorPrefix = "[error] "
    /// The text of the line Ergon's providers send when the sandbox timeout passes.
    static let timeoutText = "Execution timeout exceeded"

    /// Folds the data payloads of an execute stream.
    init(events: [String]) {
        for event in events { apply(event) }
    }

    init() {}

    private mutating func apply(_ data: String) {
        guard let json = try? PluginJSON.parse(data) else {
            // Not JSON: keep the text rather than lose output.
            stdoutPieces.append(data)
            return
        }
        if let line = json["line"]?.stringValue {
            if line.hasPrefix(Self.stderrPrefix) {
                stderrLines.append(String(line.dropFirst(Self.stderrPrefix.count)))
            } else if line.hasPrefix(Self.errorPrefix) {
                let text = String(line.dropFirst(Self.errorPrefix.count))
                if text.hasPrefix(Self.timeoutText) { timedOut = true } else { errors.append(text) }
            } else if line.hasPrefix(Self.stdoutPrefix) {
                stdoutPieces.append(String(line.dropFirst(Self.stdoutPrefix.count)))
            } else {
                stdoutPieces.append(line)
            }
        }
        if let error = json["error"], !error.isNull {
            errors.append(error.stringValue ?? error.jsonString())
        }
        if json["done"]?.boolValue == true { done = true }
    }

    /// The command's output in the adapter's common shape, the marker taken out.
    var result: CommandResult {
        let stderr = stderrLines.map { $0 + "\n" }.joined()
        guard let marker = ExitMarker.find(in: stdoutPieces) else {
            return CommandResult(stdout: stdoutPieces.map { $0 + "\n" }.joined(), stderr: stderr, exitCode: nil)
        }
        var pieces = Array(stdoutPieces[..<marker.firstPiece])
        let stdout: String
        if marker.before.isEmpty {
            // The marker began a line: the output before it ended with a newline.
            stdout = pieces.map { $0 + "\n" }.joined()
        } else {
            // The output had no final newline, so the marker was printed right after it.
            pieces.append(marker.before)
            stdout = pieces.joined(separator: "\n")
        }
        return CommandResult(stdout: stdout, stderr: stderr, exitCode: marker.status)
    }
}

/// The line a wrapped command prints last so the exit status survives any transport.
enum ExitMarker {
    static let prefix = "__HARMONIA_EXIT__="

    /// Wraps a shell command line so it reports its status: the command runs in a subshell, so
    /// one that calls `exit 3` (or `set -e` and fails) still reaches the marker, which reports
    /// 3. Each part goes on a line of its own, so a command ending in `&` or a `# comment`
    /// cannot swallow the closing parenthesis or the marker.
    static func wrap(_ commandLine: String) -> [String] {
        ["sh", "-c", "(\n\(commandLine)\n)\necho \(prefix)$?"]
    }

    /// Where the marker sits at the end of `pieces` (stdout as Ergon delivered it): the index
    /// of the piece it starts in, the text of that piece before it (the output's last line
    /// when it had no final newline), and the status. The marker may be spread over several
    /// pieces (Ergon's Docker provider splits per chunk). nil when the output does not end
    /// with a marker.
    static func find(in pieces: [String]) -> (firstPiece: Int, before: String, status: Int)? {
        var tail = ""
        for first in pieces.indices.reversed() {
            let piece = pieces[first]
            // Stop once the pieces after this one are longer than any marker.
            if tail.count > prefix.count + 24 { return nil }
            tail = piece + tail
            guard let start = tail.range(of: prefix, options: .backwards)?.lowerBound else { continue }
            // The marker must start in this piece; later starts were seen with fewer pieces.
            guard tail.distance(from: tail.startIndex, to: start) < piece.count else { return nil }
            var digits = tail[tail.index(start, offsetBy: prefix.count)...]
            while digits.last == "\r" || digits.last == " " { digits.removeLast() }
            guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let status = Int(digits) else { return nil }
            return (first, String(tail[..<start]), status)
        }
        return nil
    }
}

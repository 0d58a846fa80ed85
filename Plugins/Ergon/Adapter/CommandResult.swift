import HarmoniaPluginKit

/// The outcome of `execute_command`, wherever the command ran (Ergon's sandbox or this
/// host), and its one output shape:
/// `{"result": trimmed stdout, "stdout", "stderr", "exit_code", "success"}`.
struct CommandResult: Sendable, Hashable {
    var stdout: String
    var stderr: String
    /// nil when the status is unknown (the command ended without reporting it).
    var exitCode: Int?
    /// Why the output is incomplete or the status unknown (truncation, timeout), if it is.
    var notes: [String] = []

    var success: Bool { exitCode == 0 }

    /// The output object; `extra` adds named fields (the sandbox id, the mode).
    func output(_ extra: [String: PluginJSON] = [:]) -> PluginJSON {
        var object = extra
        object["result"] = .string(stdout.trimmingWhitespace())
        object["stdout"] = .string(stdout)
        object["stderr"] = .string(stderr)
        object["exit_code"] = exitCode.map(PluginJSON.integer) ?? .null
        object["success"] = .bool(success)
        if !notes.isEmpty { object["notes"] = .array(notes.map(PluginJSON.string)) }
        return .object(object)
    }

    /// The output for a zero status; otherwise a `command_failed` error (not retryable: the
    /// same command would most likely fail the same way) carrying the output in its details.
    func outcome(_ extra: [String: PluginJSON] = [:]) throws -> PluginJSON {
        let output = output(extra)
        guard success else {
            let message: String
            if let exitCode {
                message = "the command exited with status \(exitCode)"
            } else {
                message = "the command ended without reporting an exit status" + (notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))")
            }
            throw AdapterError(code: "command_failed", message: message, retryable: false, details: output)
        }
        return output
    }
}

extension String {
    /// The text without leading and trailing whitespace and newlines.
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}

import Foundation
import HarmoniaPluginKit

/// What `execute_command` was asked to run: `{command: string|[argv], timeout?, environment?}`.
struct CommandRequest: Sendable, Hashable {
    enum Command: Sendable, Hashable {
        /// A command line as one string (`echo Hello World`).
        case line(String)
        /// An argument vector (`["echo", "Hello World"]`).
        case argv([String])
    }

    var command: Command
    /// Seconds the command may run, from the input.
    var timeout: Double?
    /// Variables added to the command's environment.
    var environment: [String: String]

    init(call: AdapterCall) throws {
        switch call.input["command"] {
        case .string(let line) where !line.trimmingWhitespace().isEmpty:
            command = .line(line)
        case .array(let items) where !items.isEmpty:
            let argv = items.compactMap(\.stringValue)
            guard argv.count == items.count, !argv[0].isEmpty else {
                throw AdapterError.invalidInput("\(call.component).\(call.action): every element of `command` must be a string")
            }
            command = .argv(argv)
        default:
            throw AdapterError.invalidInput(
                "\(call.component).\(call.action) needs `command`: a non-empty string or an array of strings")
        }
        timeout = try call.optionalNumber("timeout")
        if let timeout, timeout <= 0 {
            throw AdapterError.invalidInput("\(call.component).\(call.action): `timeout` must be positive")
        }
        environment = [:]
        if let value = call.input["environment"], !value.isNull {
            guard let members = value.objectValue else {
                throw AdapterError.invalidInput("\(call.component).\(call.action): `environment` must be an object of strings")
            }
            for (name, value) in members {
                guard Self.isVariableName(name) else {
                    throw AdapterError.invalidInput("\(call.component).\(call.action): `\(name)` is not a valid variable name")
                }
                switch value {
                case .string(let s): environment[name] = s
                case .integer, .double, .bool: environment[name] = value.jsonString()
                default:
                    throw AdapterError.invalidInput("\(call.component).\(call.action): environment value of `\(name)` must be a string")
                }
            }
        }
    }

    /// The command as one shell line: a string as written, an argv with each word quoted.
    var shellLine: String {
        switch command {
        case .line(let line): return line
        case .argv(let argv): return argv.map(Self.shellQuote).joined(separator: " ")
        }
    }

    /// The line the sandbox runs: `environment` exported first, since Ergon's sandbox starts
    /// every command with a fixed environment and ignores the one it is given.
    var sandboxLine: String {
        let exports = environment.sorted { $0.key < $1.key }.map { "export \($0.key)=\(Self.shellQuote($0.value))\n" }
        return exports.joined() + shellLine
    }

    /// `word` single-quoted for `sh` (`it's` → `'it'\''s'`); safe words stay bare.
    static func shellQuote(_ word: String) -> String {
        let safe = word.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "-_./=:,+@%".unicodeScalars.contains(scalar))
        }
        if safe && !word.isEmpty { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// POSIX-ish variable names: a letter or `_`, then letters, digits and `_`.
    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic || first == "_" else {
            return false
        }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
    }
}

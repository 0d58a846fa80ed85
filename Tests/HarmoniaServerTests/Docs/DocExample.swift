import Foundation
import HarmoniaCore
import Testing

/// One runnable example of `docs/workflow-language.md`: a fenced block whose info string is
/// `json example` or `yaml example` (`... example template` for a template), and the
/// ```` ```outcome ```` block that follows it, which says what running it must produce.
///
/// The outcome block is plain text so the page stays readable. Each line is one of:
///
/// - `input: <json>`, `metadata: <json>`, `parameters: <json>`: what to start it with;
/// - `workflow: <json>`: a workflow to create before the example's (a child for
///   `harmonia.run_workflow`), one line each;
/// - `signal: <name> <json>`: a signal to send right after the start (kept until a task
///   waits for it), one line each, in order;
/// - `status: <execution status>`: the final status the execution must reach;
/// - `rejected: <http status> <code> [<path>]`: creating it must fail so;
/// - `start rejected: <http status> <code> [<path>]`: creating works, starting fails so;
/// - `<path> == <json>`: a value of the result, where the path starts with `tasks.<id>`
///   (the task's state), `execution` (the execution row) or `definition` (the stored
///   definition), and continues with `.key` and `[n]` segments.
struct DocExample: Sendable, CustomTestStringConvertible {
    enum Format: String, Sendable { case json, yaml }

    /// A value the outcome claims: `path == value`.
    struct Claim: Sendable {
        let path: String
        let value: JSONValue
    }

    /// An error the server must answer with.
    struct Rejection: Sendable {
        let status: Int
        let code: String
        let path: String?
    }

    let heading: String
    let line: Int
    let format: Format
    let isTemplate: Bool
    let body: String
    var input: JSONValue?
    var metadata: JSONValue?
    var parameters: JSONValue?
    var workflows: [JSONValue] = []
    var signals: [(name: String, payload: JSONValue)] = []
    var status: String?
    var rejected: Rejection?
    var startRejected: Rejection?
    var claims: [Claim] = []

    var testDescription: String { "line \(line) (\(heading))" }

    /// Where the document is, found from this file's place in the repository.
    static let documentURL: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/workflow-language.md")

    /// Every example of the document, or the problems that make the page unreadable as a
    /// test (an example without an outcome, an outcome line that does not parse).
    static func load() -> (examples: [DocExample], problems: [String]) {
        guard let text = try? String(contentsOf: documentURL, encoding: .utf8) else {
            return ([], ["cannot read \(documentURL.path)"])
        }
        return parse(text)
    }

    static func parse(_ text: String) -> (examples: [DocExample], problems: [String]) {
        let lines = text.components(separatedBy: "\n")
        var examples: [DocExample] = []
        var problems: [String] = []
        var heading = ""
        var pending: DocExample?
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line.hasPrefix("#") { heading = line.trimmingCharacters(in: CharacterSet(charactersIn: "# ")) }
            guard line.hasPrefix("```") else {
                i += 1
                continue
            }
            let info = line.dropFirst(3).split(separator: " ").map(String.init)
            let start = i + 1
            var end = start
            while end < lines.count, !lines[end].hasPrefix("```") { end += 1 }
            let content = lines[start..<min(end, lines.count)].joined(separator: "\n")
            if info == ["outcome"] {
                if var example = pending {
                    problems += example.readOutcome(content)
                    examples.append(example)
                } else {
                    problems.append("line \(i + 1): an outcome block without an example before it")
                }
                pending = nil
            } else {
                if let example = pending {
                    problems.append("line \(example.line): an example must be followed by an ```outcome block")
                }
                pending = nil
                if info.count >= 2, info[1] == "example", let format = Format(rawValue: info[0]) {
                    pending = DocExample(
                        heading: heading, line: i + 1, format: format,
                        isTemplate: info.dropFirst(2).contains("template"), body: content)
                }
            }
            i = end + 1
        }
        if let example = pending {
            problems.append("line \(example.line): an example must be followed by an ```outcome block")
        }
        return (examples, problems)
    }

    /// Reads the outcome block's lines; returns what could not be read.
    private mutating func readOutcome(_ text: String) -> [String] {
        var problems: [String] = []
        for raw in text.components(separatedBy: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            do {
                try read(line)
            } catch {
                problems.append("line \(self.line) outcome '\(line)': \(error)")
            }
        }
        if status == nil, rejected == nil, startRejected == nil {
            problems.append("line \(self.line): the outcome names no status and no rejection")
        }
        return problems
    }

    private mutating func read(_ line: String) throws {
        func after(_ prefix: String) -> String? {
            line.hasPrefix(prefix) ? String(line.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces) : nil
        }
        if let rest = after("input:") {
            input = try JSONValue.parse(Array(rest.utf8))
        } else if let rest = after("metadata:") {
            metadata = try JSONValue.parse(Array(rest.utf8))
        } else if let rest = after("parameters:") {
            parameters = try JSONValue.parse(Array(rest.utf8))
        } else if let rest = after("workflow:") {
            workflows.append(try JSONValue.parse(Array(rest.utf8)))
        } else if let rest = after("signal:") {
            let name = String(rest.prefix { $0 != " " })
            signals.append((name, try JSONValue.parse(Array(rest.dropFirst(name.count).utf8))))
        } else if let rest = after("status:") {
            status = rest
        } else if let rest = after("start rejected:") {
            startRejected = try Self.rejection(rest)
        } else if let rest = after("rejected:") {
            rejected = try Self.rejection(rest)
        } else if let range = line.range(of: " == ") {
            let path = String(line[..<range.lowerBound])
            let value = try JSONValue.parse(Array(line[range.upperBound...].utf8))
            claims.append(Claim(path: path, value: value))
        } else {
            throw OutcomeError("not an outcome line")
        }
    }

    private static func rejection(_ text: String) throws -> Rejection {
        let words = text.split(separator: " ").map(String.init)
        guard words.count == 2 || words.count == 3, let status = Int(words[0]) else {
            throw OutcomeError("expected '<http status> <code> [<path>]'")
        }
        return Rejection(status: status, code: words[1], path: words.count == 3 ? words[2] : nil)
    }

    struct OutcomeError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

extension JSONValue {
    /// The value at a path such as `tasks.a.output.items[0]`; nil when any step is missing.
    func value(atPath path: String) -> JSONValue? {
        var current: JSONValue? = self
        var rest = Substring(path)
        while !rest.isEmpty, let value = current {
            if rest.hasPrefix(".") { rest = rest.dropFirst() }
            if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]"), let index = Int(rest[rest.index(after: rest.startIndex)..<close]),
                    let elements = value.arrayValue, elements.indices.contains(index)
                else { return nil }
                current = elements[index]
                rest = rest[rest.index(after: close)...]
            } else {
                let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
                current = value.objectValue?[String(rest[..<end])]
                rest = rest[end...]
            }
        }
        return current
    }

    /// JSON equality with numbers compared by value (`1 == 1.0`), as the documentation means it.
    func sameJSON(as other: JSONValue) -> Bool {
        switch (self, other) {
        case (.integer, .double), (.double, .integer), (.double, .double): return doubleValue == other.doubleValue
        case (.array(let a), .array(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.sameJSON(as: $1) }
        case (.object(let a), .object(let b)):
            return a.count == b.count && a.allSatisfy { key, value in b[key].map { value.sameJSON(as: $0) } ?? false }
        default: return self == other
        }
    }
}

import Foundation
import Testing

/// `docs/cli.md` documents every command and option the binary has: each command path of
/// `harmonia --help` (recursively) is named in the page, and each of its options appears in
/// the section of its top-level command (`## \`harmonia NAME`...). `--url` and `--api-key`
/// are documented once, under "Finding the server".
@Suite(.timeLimit(.minutes(3)))
struct CLIDocsTests {
    /// Options documented once for every command.
    static let shared: Set<String> = ["--help", "--version", "--url", "--api-key"]

    /// One command's `--help`: its subcommands and its long options.
    struct Help {
        var subcommands: [String] = []
        var options: [String] = []
    }

    /// Parses swift-argument-parser's help text.
    static func parse(_ text: String) -> Help {
        var help = Help()
        var section = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if !line.hasPrefix(" "), trimmed.hasSuffix(":") {
                section = trimmed
                continue
            }
            guard line.hasPrefix("  "), !trimmed.isEmpty else { continue }
            // The name column ends at the first run of two spaces.
            let column = trimmed.components(separatedBy: "  ").first ?? trimmed
            switch section {
            case "SUBCOMMANDS:":
                guard !trimmed.hasPrefix("See "), let name = column.split(separator: " ").first,
                    line.hasPrefix("  ") && !line.hasPrefix("   ")
                else { continue }
                help.subcommands.append(String(name))
            case "OPTIONS:":
                guard trimmed.hasPrefix("-") else { continue }
                for word in column.split(whereSeparator: { $0 == " " || $0 == "," }) where word.hasPrefix("--") {
                    help.options.append(String(word.split(separator: "=").first ?? word))
                }
            default: continue
            }
        }
        return help
    }

    /// The text of `## \`harmonia NAME` up to the next `## ` heading.
    static func section(_ page: String, command: String) -> String? {
        let lines = page.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("## `harmonia \(command)") }) else { return nil }
        let end = lines[(start + 1)...].firstIndex { $0.hasPrefix("## ") } ?? lines.endIndex
        return lines[start..<end].joined(separator: "\n")
    }

    @Test("every command and option of --help is in docs/cli.md")
    func everyCommandAndOptionIsDocumented() async throws {
        let page = try String(
            contentsOf: CLITests.repositoryRoot.appendingPathComponent("docs/cli.md"), encoding: .utf8)
        var missing: [String] = []
        var checked = 0
        var queue: [[String]] = [[]]
        while let path = queue.first {
            queue.removeFirst()
            let result = try await CLITests.harmonia(path + ["--help"])
            #expect(result.status == 0, "\(path) --help: \(result.stderr)")
            let help = Self.parse(result.stdout)
            queue += help.subcommands.filter { $0 != "help" }.map { path + [$0] }
            guard let top = path.first else { continue }
            checked += 1
            let words = path.joined(separator: " ")
            guard let section = Self.section(page, command: top) else {
                missing.append("a section ## `harmonia \(top)`")
                continue
            }
            if !section.contains(words) { missing.append("command '\(words)'") }
            for option in help.options where !Self.shared.contains(option) && !section.contains(option) {
                missing.append("'\(option)' of '\(words)'")
            }
        }
        #expect(checked >= 30, "only \(checked) commands found: the help parser broke")
        #expect(missing.isEmpty, "docs/cli.md does not document: \(missing.joined(separator: "; "))")
    }

    @Test("the help parser reads commands and options")
    func parserReadsHelp() {
        let help = Self.parse(
            """
            OVERVIEW: x

            USAGE: harmonia run <file> [--input <input> ...] [--wait]

            ARGUMENTS:
              <file>                  The workflow definition file.

            OPTIONS:
              --input <input>         An input field (repeatable). See --wait.
              --wait                  Wait until the execution finishes.
              -h, --help              Show help information.

            SUBCOMMANDS:
              list                    List things.
              show (default)          Show one.

              See 'harmonia help run <subcommand>' for detailed help.
            """)
        #expect(help.options == ["--input", "--wait", "--help"])
        #expect(help.subcommands == ["list", "show"])
    }
}

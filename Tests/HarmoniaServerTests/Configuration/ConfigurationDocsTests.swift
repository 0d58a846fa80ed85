import Foundation
import Testing

@testable import HarmoniaServer

/// `docs/configuration.md` and `config/harmonia.example.yaml` describe exactly the declared
/// keys: every documented key is read, every read key is documented, with the same
/// environment variable and flag. (Before the keys were declared once, `engine.max_batch_size`
/// was documented and read nowhere.)
struct ConfigurationDocsTests {
    static let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// One row of the summary table: key, environment variable, flag.
    struct Row: Hashable, CustomStringConvertible {
        let path: String
        let environment: String
        let flag: String?
        var description: String { "\(path) | \(environment) | \(flag ?? "-")" }
    }

    /// The first `code` span of a table cell, if any.
    private static func code(_ cell: Substring) -> String? {
        let parts = cell.split(separator: "`", omittingEmptySubsequences: false)
        return parts.count >= 3 ? String(parts[1]) : nil
    }

    @Test func theSummaryTableListsExactlyTheDeclaredKeys() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("docs/configuration.md"), encoding: .utf8)
        let summary = try #require(text.range(of: "## Summary"), "docs/configuration.md has no Summary section")
        var documented = Set<Row>()
        for line in text[summary.upperBound...].split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().map { $0 }
            guard cells.count >= 3, let path = Self.code(cells[0]) else { continue }
            if path.hasPrefix(ConfigurationFile.componentsSection + ".") { continue }
            documented.insert(Row(path: path, environment: Self.code(cells[1]) ?? "", flag: Self.code(cells[2])))
        }
        let declared = Set(HarmoniaConfiguration.keys.map { Row(path: $0.path, environment: $0.environment, flag: $0.flag) })
        let undocumented = declared.subtracting(documented).map(\.description).sorted()
        let unread = documented.subtracting(declared).map(\.description).sorted()
        #expect(undocumented.isEmpty, "declared but not in docs/configuration.md's summary: \(undocumented)")
        #expect(unread.isEmpty, "in docs/configuration.md's summary but not declared: \(unread)")
        let prose = text[..<summary.lowerBound]
        for key in HarmoniaConfiguration.keys {
            #expect(prose.contains("`\(key.path)`"), "docs/configuration.md describes \(key.path) only in its summary table")
        }
    }

    @Test func theExampleFileShowsEveryKeyWithItsVariable() throws {
        let path = Self.root.appendingPathComponent("config/harmonia.example.yaml").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        _ = try HarmoniaConfiguration.load(file: path, environment: [:], overrides: .init())
        let file = try ConfigurationFile(path: path)
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        for key in HarmoniaConfiguration.keys {
            let shown = file.values[key.path] != nil || lines.contains("\(key.name): null") || lines.contains("# \(key.name): null")
                || lines.contains { $0.hasPrefix("\(key.name):") || $0.hasPrefix("# \(key.name):") }
            #expect(shown, "config/harmonia.example.yaml does not show \(key.path)")
            #expect(text.contains("env: \(key.environment)"), "config/harmonia.example.yaml does not name \(key.environment)")
        }
    }
}

import Foundation
/// Left-aligned text columns, sized to their widest cell, for terminal listings.
struct Table {
    var headers: [String]
    var rows: [[String]] = []

    init(_ headers: String...) {
        self.headers = headers
    }

    mutating func add(_ cells: String...) {
        rows.append(cells)
    }

    /// The table as lines ending in newlines; the last column is not padded.
    func render(indent: String = "") -> String {
        let all = [headers] + rows
        var widths = Array(repeating: 0, count: headers.count)
        for row in all {
            for (i, cell) in row.enumerated() where i < widths.count {
                widths[i] = max(widths[i], cell.count)
            }
        }
        var out = ""
        for row in all {
            var line = indent
            for (i, cell) in row.enumerated() {
                let isLast = i == row.count - 1
                line += isLast ? cell : cell.padding(toLength: widths[i] + 2, withPad: " ", startingAt: 0)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}

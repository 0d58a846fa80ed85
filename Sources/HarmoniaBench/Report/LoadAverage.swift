import Foundation

/// The 1, 5 and 15 minute load averages from `/proc/loadavg`, recorded with each result:
/// on a shared machine the load explains more of a number's spread than anything else.
struct LoadAverage: Sendable, Hashable {
    var one: Double
    var five: Double
    var fifteen: Double

    /// nil where `/proc/loadavg` does not exist.
    static func read() -> LoadAverage? {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ").prefix(3).compactMap { Double($0) }
        guard fields.count == 3 else { return nil }
        return LoadAverage(one: fields[0], five: fields[1], fifteen: fields[2])
    }

    var description: String {
        String(format: "%.2f %.2f %.2f", one, five, fifteen)
    }
}

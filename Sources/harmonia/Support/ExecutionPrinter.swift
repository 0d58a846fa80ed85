import Foundation
import HarmoniaClient

/// Renders executions for people (tables) and for programs (JSON).
enum ExecutionPrinter {
    /// The widest result shown in a summary cell; `executions show --json` has everything.
    static let maxCell = 60

    /// A header line with the outcome, then one row per task in definition order.
    static func summary(_ detail: ExecutionDetail) -> String {
        let execution = detail.execution
        let record = execution.record
        var out = "execution \(record.id) (workflow \(record.workflowName), \(record.workflowID)): \(record.status.rawValue)"
        if let started = record.startedAt, let finished = record.finishedAt {
            out += " in \(seconds(finished.timeIntervalSince(started)))"
        }
        out += "\n"
        if let error = record.error {
            out += "  error: \(error.code): \(error.message)\n"
        }
        var table = Table("TASK", "STATUS", "ATTEMPTS", "DURATION", "RESULT")
        let tasks = execution.tasks ?? [:]
        for id in taskOrder(detail) {
            guard let task = tasks[id] else { continue }
            var duration = "-"
            if let started = task.startedAt, let finished = task.finishedAt {
                duration = seconds(finished.timeIntervalSince(started))
            }
            table.add(id, task.status.rawValue, String(task.attempt), duration, outcome(task))
        }
        out += table.render(indent: "  ")
        // An error too long for its cell (one that says how to fix it) follows in full.
        for id in taskOrder(detail) {
            guard let error = tasks[id]?.error else { continue }
            let full = "\(error.code): \(error.message)"
            if clip(full, to: 2 * maxCell) != full { out += "  \(id): \(full)\n" }
        }
        let s = detail.summary
        out += "  \(s.completed) completed, \(s.failed) failed, \(s.skipped) skipped, \(s.canceled) canceled of \(s.total)\n"
        return out
    }

    /// Task ids in dependency order (a task after everything it depends on), ties in the
    /// definition's order; ids not in the definition come last, sorted.
    static func taskOrder(_ detail: ExecutionDetail) -> [String] {
        let definitions = detail.workflowDefinition?.definition.tasks ?? []
        var placed: Set<String> = []
        var order: [String] = []
        var remaining = definitions
        while !remaining.isEmpty {
            // A cycle cannot be stored, but never loop forever on one: take the first then.
            let next = remaining.firstIndex { $0.dependsOn.allSatisfy(placed.contains) } ?? remaining.startIndex
            let task = remaining.remove(at: next)
            placed.insert(task.id)
            order.append(task.id)
        }
        let extra = (detail.execution.tasks ?? [:]).keys.filter { !placed.contains($0) }.sorted()
        return order + extra
    }

    /// What a task produced or why it did not: its `result` (or whole output), its error,
    /// or its skip/cancel reason.
    static func outcome(_ task: TaskState) -> String {
        // Errors are what a reader looks for: allow them twice the room.
        if let error = task.error { return clip("\(error.code): \(error.message)", to: 2 * maxCell) }
        if let output = task.output {
            let shown = output["result"] ?? output
            return clip(shown.stringValue ?? shown.jsonString())
        }
        if let reason = task.reason { return clip(reason) }
        return ""
    }

    /// `value` in the wire format as indented JSON with sorted keys.
    ///
    /// Encoded with the API's encoder (so dates match the server's), then re-read as a
    /// `JSONValue` and indented here: Foundation's pretty printer spreads `{}` over lines.
    static func json(_ value: some Encodable) throws -> String {
        let data = try APICoding.makeEncoder().encode(value)
        return PrettyJSON.render(try JSONValue.parse(Array(data)))
    }

    /// One line per execution row.
    static func list(_ executions: [ExecutionView]) -> String {
        var table = Table("ID", "STATUS", "WORKFLOW", "CREATED", "FINISHED")
        for execution in executions {
            let r = execution.record
            table.add(
                r.id, r.status.rawValue, r.workflowName, APICoding.formatTimestamp(r.createdAt),
                r.finishedAt.map(APICoding.formatTimestamp) ?? "-")
        }
        return table.render()
    }

    static func seconds(_ interval: TimeInterval) -> String {
        String(format: "%.2fs", max(0, interval))
    }

    static func clip(_ text: String, to limit: Int = maxCell) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count <= limit ? flat : String(flat.prefix(limit - 1)) + "…"
    }
}

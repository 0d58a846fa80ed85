import Foundation
import HarmoniaCore

/// The human-readable report: one row per scenario with the shared columns, then each
/// scenario's own figures on an indented line, then the machine.
public struct BenchTable: Sendable {
    static let headers = [
        "SCENARIO", "SECONDS", "TASKS/S", "TRANSITIONS/S", "ACK P50/P99 MS", "COMPLETION P50/P99 MS", "PEAK RSS MB",
        "× SQLITE BATCHED",
    ]

    /// Per scenario, the fields worth a line of their own, in this order.
    static let detailKeys: [ScenarioName: [String]] = [
        .sqliteLimit: ["rows_per_second_single", "rows_per_second_batched", "commit_ms", "batch_rows", "row_bytes"],
        .chain40: ["chain_length", "sleep_ms", "overhead_per_step_ms", "overhead_per_step_in_commits", "server_seconds", "ack_ms"],
        .fanout: ["tasks", "transitions", "server_transitions_per_second"],
        .fanin: [
            "width", "transitions", "server_seconds", "wide_width", "wide_seconds", "wide_server_seconds", "time_per_task_ratio",
        ],
        .layers: ["layers", "width", "edges", "transitions", "server_seconds"],
        .starts: [
            "executions_requested", "executions_completed", "achieved_start_rate", "achieved_completions_per_second",
            "schedule_lag_p99_ms", "completions_from_polling",
        ],
        .concurrent: ["executions", "executions_completed", "tasks", "transitions"],
        .map: ["items", "instance_events", "server_seconds", "limited_max_concurrency", "limited_seconds", "limited_instances_per_second"],
        .recovery: [
            "executions", "in_flight_after_seconds", "running_again_seconds", "complete_seconds", "lost", "duplicated",
            "redispatched",
        ],
    ]

    /// The table for `results`, measured on `machine`.
    public static func render(_ results: [ScenarioResult], machine: MachineInfo) -> String {
        var rows = [headers]
        var details: [String: [String]] = [:]
        for result in results {
            rows.append([
                result.scenario.rawValue,
                format(result.seconds, digits: 3),
                format(result.tasksPerSecond, digits: 0),
                format(result.transitionsPerSecond, digits: 0),
                pair(result.ackP50Milliseconds, result.ackP99Milliseconds),
                pair(result.completionP50Milliseconds, result.completionP99Milliseconds),
                format(result.peakRSSMegabytes, digits: 1),
                format(result.number("ratio_to_sqlite_batched"), digits: 3),
            ])
            var lines: [String] = []
            let figures = (detailKeys[result.scenario] ?? []).compactMap { key in
                result.fields[key].map { "\(key)=\(describe($0))" }
            }
            if !figures.isEmpty { lines.append(figures.joined(separator: "  ")) }
            lines += result.notes.map { "note: \($0)" }
            if let failure = result.failure { lines.append("FAILED: \(failure)") }
            details[result.scenario.rawValue] = lines
        }
        var widths = Array(repeating: 0, count: headers.count)
        for row in rows {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        var out = ""
        for (index, row) in rows.enumerated() {
            var line = ""
            for (i, cell) in row.enumerated() {
                // Text left, numbers right.
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                line += i == 0 ? cell + pad : pad + cell
                if i < row.count - 1 { line += "  " }
            }
            out += line + "\n"
            if index > 0 {
                for detail in details[row[0]] ?? [] { out += "    \(detail)\n" }
            }
        }
        out += "machine: \(machine.cores) cores, \(machine.memoryMB) MiB, \(machine.os), \(machine.buildMode) build, Swift \(machine.swift)"
        if let load = LoadAverage.read() { out += "; load average \(load.description)" }
        out += "\n"
        return out
    }

    static func format(_ value: Double?, digits: Int) -> String {
        guard let value, value.isFinite else { return "-" }
        return String(format: "%.\(digits)f", value)
    }

    static func pair(_ a: Double?, _ b: Double?) -> String {
        guard a != nil || b != nil else { return "-" }
        return "\(format(a, digits: 2)) / \(format(b, digits: 2))"
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .double(let d): d.rounded() == d && abs(d) < 1e12 ? String(Int(d)) : String(format: "%.3f", d)
        case .integer(let i): String(i)
        case .string(let s): s
        case .bool(let b): String(b)
        default: value.jsonString()
        }
    }
}

import ArgumentParser
import HarmoniaClient

/// `harmonia schedules get ID`: the schedule, its next five due times and its latest runs.
struct SchedulesGetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Show a schedule with its next 5 due times and latest runs.")

    @Argument(help: "The schedule id.")
    var id: String

    @Flag(help: "Print the schedule as JSON.")
    var json = false

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let s = try await client.reportingProblems { try await $0.getSchedule(id: id) }
        if json {
            print(try ExecutionPrinter.json(s))
            return
        }
        print("\(s.id)  \(s.name)")
        print("workflow:    \(s.workflowID)\(s.workflowVersion.map { " version \($0)" } ?? " (newest version)")")
        print("when:        \(Self.when(s))")
        print("missed runs: \(s.missedRuns)   overlap: \(s.overlap)   state: \(s.paused ? "paused" : "active")")
        print("next runs:   \(s.nextRuns.isEmpty ? "-" : s.nextRuns.map(APICoding.formatTimestamp).joined(separator: ", "))")
        guard !s.lastRuns.isEmpty else { return }
        var table = Table("DUE", "OUTCOME", "EXECUTION", "NOTE")
        for run in s.lastRuns {
            var note = run.reason ?? ""
            if let canceled = run.canceledExecutionID { note = "canceled \(canceled)" }
            if run.missedCount > 0 { note = "\(run.missedCount) missed" + (note.isEmpty ? "" : "; \(note)") }
            table.add(APICoding.formatTimestamp(run.dueAt), run.outcome.rawValue, run.executionID ?? "-", note)
        }
        print(table.render(), terminator: "")
    }

    /// `cron "30 2 * * *" in America/New_York` or `every 60 s`.
    static func when(_ s: ScheduleView) -> String {
        if let cron = s.cron { return "cron \"\(cron)\" in \(s.timezone ?? "UTC")" }
        return "every \(s.interval ?? 0) s"
    }
}

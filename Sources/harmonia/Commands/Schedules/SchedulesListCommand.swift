import ArgumentParser
import HarmoniaClient

/// `harmonia schedules list`: a table of schedules with their next run.
struct SchedulesListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List schedules with their next run.")

    @Option(help: "At most this many (default 50).")
    var limit: Int?

    @Option(help: "Skip this many.")
    var offset: Int?

    @Flag(help: "Print the list as JSON.")
    var json = false

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let list = try await client.reportingProblems { try await $0.listSchedules(limit: limit, offset: offset) }
        if json {
            print(try ExecutionPrinter.json(list))
            return
        }
        if list.schedules.isEmpty {
            Terminal.status("no schedules")
            return
        }
        var table = Table("ID", "NAME", "WORKFLOW", "WHEN", "STATE", "NEXT RUN", "LAST RUN")
        for s in list.schedules {
            table.add(
                s.id, s.name, s.workflowID, SchedulesGetCommand.when(s), s.paused ? "paused" : "active",
                s.nextRunAt.map(APICoding.formatTimestamp) ?? "-",
                s.lastRuns.first.map { "\($0.outcome.rawValue) \(APICoding.formatTimestamp($0.dueAt))" } ?? "-")
        }
        print(table.render(), terminator: "")
    }
}

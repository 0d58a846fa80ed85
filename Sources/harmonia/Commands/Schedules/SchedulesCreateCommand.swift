import ArgumentParser
import HarmoniaClient

/// `harmonia schedules create --workflow ID (--cron EXPR [--timezone TZ] | --interval SECONDS)`:
/// prints the new schedule's id.
struct SchedulesCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a schedule and print its id.",
        discussion: """
            Give --cron (5 fields, or @daily, @hourly, ...) with an optional --timezone (IANA, default UTC), or \
            --interval in seconds (at least 1). --input key=value and --input-json build the input each run gets, \
            as for harmonia run.
            """)

    @Option(help: "The workflow to start.")
    var workflow: String

    @Option(help: "A workflow version to pin (default: the newest at each run).")
    var workflowVersion: Int?

    @Option(help: "A cron expression: minute hour day-of-month month day-of-week.")
    var cron: String?

    @Option(help: "The IANA time zone the cron expression is read in (default UTC).")
    var timezone: String?

    @Option(help: "Seconds between runs (instead of --cron).")
    var interval: Int?

    @Option(name: .customLong("input"), help: "An input field as key=value (repeatable).")
    var inputPairs: [String] = []

    @Option(name: .customLong("input-json"), help: "The whole input as a JSON object.")
    var inputJSON: String?

    @Option(help: "After downtime: skip (default) or run_once.")
    var missedRuns: String?

    @Option(help: "While the previous run is unfinished: skip (default), allow or cancel_previous.")
    var overlap: String?

    @Option(help: "The schedule's id (default: a new UUID).")
    var id: String?

    @Option(help: "A display name (default: the id).")
    var name: String?

    @Flag(help: "Print the created schedule as JSON.")
    var json = false

    @OptionGroup var client: ClientOptions

    func run() async throws {
        var body: [String: JSONValue] = [
            "workflow_id": .string(workflow),
            "input": try InputParsing.buildInput(json: inputJSON, pairs: inputPairs),
        ]
        body["workflow_version"] = workflowVersion.map { .integer($0) }
        body["cron"] = cron.map(JSONValue.string)
        body["timezone"] = timezone.map(JSONValue.string)
        body["interval"] = interval.map { .integer($0) }
        body["missed_runs"] = missedRuns.map(JSONValue.string)
        body["overlap"] = overlap.map(JSONValue.string)
        body["id"] = id.map(JSONValue.string)
        body["name"] = name.map(JSONValue.string)
        let created = try await client.reportingProblems { try await $0.createSchedule(.object(body)) }
        if json {
            print(try ExecutionPrinter.json(created))
        } else {
            print(created.id)
            if let next = created.nextRunAt { Terminal.status("next run \(APICoding.formatTimestamp(next))") }
        }
    }
}

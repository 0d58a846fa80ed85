import ArgumentParser
import HarmoniaClient

/// `harmonia executions events ID`: the execution's log, oldest first.
struct ExecutionsEventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "Print an execution's event log.")

    @Argument(help: "The execution id.")
    var id: String

    @Option(name: .customLong("after-seq"), help: "Only events after this sequence number.")
    var afterSeq: Int64 = 0

    @Flag(help: "Print the events as JSON.")
    var json = false

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let events = try await client.withClient { api in
            var events: [ExecutionEvent] = []
            var after = afterSeq
            while true {
                let page = try await api.events(executionID: id, afterSeq: after)
                guard !page.events.isEmpty, page.nextAfterSeq > after else { return events }
                events += page.events
                after = page.nextAfterSeq
            }
        }
        if json {
            print(try ExecutionPrinter.json(events))
            return
        }
        var table = Table("SEQ", "TIME", "EVENT", "TASK", "MESSAGE")
        for event in events {
            table.add(
                String(event.seq), APICoding.formatTimestamp(event.timestamp), event.type.rawValue,
                event.taskID ?? "-", ExecutionPrinter.clip(event.message))
        }
        print(table.render(), terminator: "")
    }
}

import ArgumentParser
import HarmoniaClient

/// `harmonia schedules pause|resume|delete ID`.
enum ScheduleControlCommand {
    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pause", abstract: "Pause a schedule (no runs start until it is resumed).")

        @Argument(help: "The schedule id.")
        var id: String

        @OptionGroup var client: ClientOptions

        func run() async throws {
            let s = try await client.reportingProblems { try await $0.pauseSchedule(id: id) }
            print("\(s.id) paused")
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resume", abstract: "Resume a paused schedule (due again from now; nothing is caught up).")

        @Argument(help: "The schedule id.")
        var id: String

        @OptionGroup var client: ClientOptions

        func run() async throws {
            let s = try await client.reportingProblems { try await $0.resumeSchedule(id: id) }
            print("\(s.id) active, next run \(s.nextRunAt.map(APICoding.formatTimestamp) ?? "none")")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "delete", abstract: "Delete a schedule (the executions it started stay).")

        @Argument(help: "The schedule id.")
        var id: String

        @OptionGroup var client: ClientOptions

        func run() async throws {
            let deleted = try await client.reportingProblems { try await $0.deleteSchedule(id: id) }
            print("\(deleted.scheduleID) deleted")
        }
    }
}

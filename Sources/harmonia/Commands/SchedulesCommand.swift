import ArgumentParser

/// `harmonia schedules ...`: start workflows by cron expression or at a fixed interval.
struct SchedulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedules",
        abstract: "Create, list, show, pause, resume and delete schedules that start workflows.",
        subcommands: [
            SchedulesCreateCommand.self,
            SchedulesListCommand.self,
            SchedulesGetCommand.self,
            ScheduleControlCommand.Pause.self,
            ScheduleControlCommand.Resume.self,
            ScheduleControlCommand.Delete.self,
        ]
    )
}

import ArgumentParser
import HarmoniaClient

/// The `harmonia` command: runs the server and talks to a running one.
///
/// An `@main` struct rather than top-level code in `main.swift`: a release build of
/// top-level async code with this toolchain is known to crash the compiler.
@main
struct Harmonia: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "harmonia",
        abstract: "Harmonia: workflow orchestration for the Tekton ecosystem.",
        discussion: "--url and --api-key may be given before the command as well as after it (harmonia --url URL run FILE).",
        // The same version `/health` reports, from the wire-types module.
        version: HarmoniaVersion.current,
        subcommands: [
            ServeCommand.self,
            RunCommand.self,
            ExecutionsCommand.self,
            WorkflowsCommand.self,
            WatchCommand.self,
            TemplatesCommand.self,
            CheckpointsCommand.self,
            SchedulesCommand.self,
            RegisterCommand.self,
            PluginsCommand.self,
            BenchCommand.self,
            MCPCommand.self,
            PluginHostCommand.self,
        ]
    )

    /// The shared client options may precede the command (`GlobalOptions`).
    static func main() async {
        await main(GlobalOptions.hoisted(Array(CommandLine.arguments.dropFirst()), root: Harmonia.self))
    }
}

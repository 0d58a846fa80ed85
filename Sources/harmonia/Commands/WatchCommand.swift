import ArgumentParser
import Foundation
import HarmoniaClient

/// `harmonia watch EXECUTION_ID`: a live view of one execution from its SSE stream.
///
/// On a terminal the view is redrawn in place (a progress bar and a line per task); piped,
/// it prints one line per change, which reads well in CI logs. The exit status is the
/// outcome: 0 completed, 1 failed or canceled.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow an execution live: a progress bar and a line per task.",
        discussion: "Exits 0 when the execution completed and 1 when it failed or was canceled."
    )

    @Argument(help: "The execution id.")
    var executionID: String

    @Flag(help: "Print one line per change even on a terminal (no redrawing).")
    var plain = false

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let redraw = !plain && Watcher.isTerminal
        let status = try await client.withClient { api in
            try await Watcher.watch(api, executionID: executionID, redraw: redraw)
        }
        if status != .completed { throw ExitCode(1) }
    }
}

/// The loop behind `watch` and `run --watch`.
enum Watcher {
    static var isTerminal: Bool { isatty(STDOUT_FILENO) != 0 }

    /// Shows the execution until it finishes and returns its final status.
    static func watch(_ api: HarmoniaClient, executionID: String, redraw: Bool) async throws -> WorkflowStatus {
        let detail = try await api.getExecution(id: executionID)
        var view = WatchView(detail)
        var shown = 0
        func show(_ event: ExecutionEvent?) {
            if redraw {
                let lines = view.render()
                // Up over the previous frame, then clear to the end of the screen.
                var out = shown > 0 ? "\u{1B}[\(shown)F\u{1B}[J" : ""
                out += lines.joined(separator: "\n") + "\n"
                FileHandle.standardOutput.write(Data(out.utf8))
                shown = lines.count
            } else if let event {
                let task = event.taskID.map { " \($0)" } ?? ""
                print("[\(view.done)/\(view.total)] \(event.type.rawValue)\(task): \(event.message)")
            } else {
                print(view.render()[0])
            }
        }
        // Piped, an execution that already finished gets only the final table below.
        if redraw || !view.status.isTerminal { show(nil) }
        if !view.status.isTerminal {
            // From seq 0: the view starts from the snapshot, and replayed events only move
            // tasks forward to where they already are.
            for try await event in api.eventStream(executionID: executionID) {
                view.apply(event)
                show(event)
            }
        }
        if !redraw {
            print(view.render().joined(separator: "\n"))
        }
        return view.status
    }
}

import Foundation
import HarmoniaPluginKit

/// Runs one command on this host with Foundation's `Process`: an argument vector executed
/// directly (no shell unless the argv names one), stdout and stderr captured up to a cap,
/// a time limit, and cancellation that kills the process.
///
/// Foundation starts the child as the leader of its own process group, so a timeout or a
/// cancellation kills the whole group: a shell's children do not outlive it.
struct LocalCommandRunner: Sendable {
    /// The most bytes kept of stdout and of stderr each.
    var maxOutputBytes: Int
    /// How long to keep reading after the process ended, while something it started still
    /// holds the pipes open.
    var pipeGrace: Duration = .milliseconds(500)

    /// Runs `argv` with `environment` added to this process's environment. Throws
    /// `CancellationError` when the calling task is cancelled (the process is killed first).
    func run(argv: [String], environment: [String: String], timeout: Double?) async throws -> CommandResult {
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { _, new in new }
        let executable = try Self.resolve(argv[0], path: merged["PATH"])

        let process = Process()
        process.executableURL = executable
        process.arguments = Array(argv.dropFirst())
        process.environment = merged
        process.standardInput = FileHandle.nullDevice
        let stdoutPipe = Pipe()
        let stderrPipe = Pipe()
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe

        let state = LocalProcessState(maxOutputBytes: maxOutputBytes)
        for (pipe, stream) in [(stdoutPipe, LocalProcessState.Stream.stdout), (stderrPipe, .stderr)] {
            pipe.fileHandleForReading.readabilityHandler = { handle in
                let data = handle.availableData
                if data.isEmpty {
                    handle.readabilityHandler = nil
                    state.closed(stream)
                } else {
                    state.append(data, to: stream)
                }
            }
        }
        let grace = pipeGrace
        process.terminationHandler = { process in
            state.terminated(status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal)
            Task {
                try? await Task.sleep(for: grace)
                state.abandonPipes()
            }
        }

        do {
            try process.run()
        } catch {
            for pipe in [stdoutPipe, stderrPipe] { pipe.fileHandleForReading.readabilityHandler = nil }
            throw AdapterError(
                code: "launch_failed", message: "could not start \(argv[0]): \(error.localizedDescription)", retryable: false)
        }
        // The write ends belong to the child now; keeping ours open would hide the end of output.
        try? stdoutPipe.fileHandleForWriting.close()
        try? stderrPipe.fileHandleForWriting.close()
        let pid = process.processIdentifier

        let timer = timeout.map { seconds in
            Task {
                try await Task.sleep(for: .seconds(seconds))
                if state.markTimedOut() { Self.killGroup(pid) }
            }
        }
        await withTaskCancellationHandler {
            await state.waitUntilFinished()
        } onCancel: {
            if state.markCanceled() { Self.killGroup(pid) }
        }
        timer?.cancel()
        for pipe in [stdoutPipe, stderrPipe] {
            pipe.fileHandleForReading.readabilityHandler = nil
            try? pipe.fileHandleForReading.close()
        }
        return try Self.result(of: state, argv: argv, timeout: timeout, cap: maxOutputBytes)
    }

    private static func result(of state: LocalProcessState, argv: [String], timeout: Double?, cap: Int) throws -> CommandResult {
        let captured = state.snapshot()
        guard let ending = captured.ending else { throw CancellationError() }
        var result = CommandResult(
            stdout: String(decoding: captured.stdout, as: UTF8.self), stderr: String(decoding: captured.stderr, as: UTF8.self),
            exitCode: ending.signaled ? 128 + Int(ending.status) : Int(ending.status))
        if captured.droppedStdout > 0 {
            result.notes.append("stdout truncated: \(captured.droppedStdout) bytes over max_output_bytes (\(cap)) dropped")
        }
        if captured.droppedStderr > 0 {
            result.notes.append("stderr truncated: \(captured.droppedStderr) bytes over max_output_bytes (\(cap)) dropped")
        }
        if ending.canceled { throw CancellationError() }
        if ending.timedOut {
            result.exitCode = nil
            let seconds = timeout.map { "\($0)" } ?? "?"
            result.notes.append("killed after the \(seconds) s timeout")
            throw AdapterError(
                code: "timeout", message: "\(argv[0]) did not finish within \(seconds) s and was killed", retryable: true,
                details: result.output(["mode": "local"]))
        }
        return result
    }

    /// Kills the process group led by `pid` (falling back to the process alone).
    private static func killGroup(_ pid: Int32) {
        if kill(-pid, SIGKILL) != 0 { kill(pid, SIGKILL) }
    }

    /// The executable for `name`: a path as given, else the first match on `PATH`.
    static func resolve(_ name: String, path: String?) throws -> URL {
        let manager = FileManager.default
        if name.contains("/") {
            guard manager.isExecutableFile(atPath: name) else {
                throw AdapterError(code: "command_not_found", message: "\(name) is not an executable file", retryable: false)
            }
            return URL(fileURLWithPath: name)
        }
        let directories = (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        for directory in directories where !directory.isEmpty {
            let candidate = directory + "/" + name
            if manager.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
        }
        throw AdapterError(code: "command_not_found", message: "\(name) was not found on PATH", retryable: false)
    }
}

import Foundation
import HarmoniaPluginKit
import HarmoniaSpawn

/// Runs one command on this host (`SpawnedProcess`, not Foundation's `Process`, which can
/// crash the server while it starts a child on Linux): an argument vector executed
/// directly (no shell unless the argv names one), stdout and stderr captured up to a cap,
/// a time limit, and cancellation that kills the process.
///
/// The child leads its own process group, so a timeout or a cancellation kills the whole
/// group: a shell's children do not outlive it.
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

        let state = LocalProcessState(maxOutputBytes: maxOutputBytes)
        let child: SpawnedProcess
        do {
            child = try SpawnedProcess(
                executable: executable.path, arguments: Array(argv.dropFirst()), environment: merged,
                stdin: .discard, stdout: .pipe, stderr: .pipe, newProcessGroup: true)
        } catch {
            throw AdapterError(code: "launch_failed", message: "could not start \(argv[0]): \(error)", retryable: false)
        }
        let pipes = [child.stdout, child.stderr].map { fd in
            FileHandle(fileDescriptor: fd ?? -1, closeOnDealloc: false)
        }
        for (handle, stream) in zip(pipes, [LocalProcessState.Stream.stdout, .stderr]) {
            handle.readabilityHandler = { handle in
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
        child.onExit { ending in
            state.terminated(status: ending.status, signaled: ending.signaled)
            Task {
                try? await Task.sleep(for: grace)
                state.abandonPipes()
            }
        }
        let pid = child.pid

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
        for handle in pipes {
            handle.readabilityHandler = nil
            try? handle.close()
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

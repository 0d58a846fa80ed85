import Foundation
import HarmoniaSpawn

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `harmonia` subprocess with its stdout and stderr collected.
///
/// Not `Sendable`: a test owns its child and drives it from one task. `kill()` is
/// synchronous so it can run in `defer`, which guarantees no child outlives its test.
final class ChildProcess {
    /// Started with `posix_spawn` (Foundation's `Process.run()` crashes the test process
    /// now and then on Linux; see `SpawnedProcess`).
    let process: SpawnedProcess
    let arguments: [String]
    let stdout: OutputCollector
    let stderr: OutputCollector
    /// Just before the child was started: with `OutputCollector.arrival(ofLineContaining:)`,
    /// times the child without the test's own scheduling delays.
    let launched: ContinuousClock.Instant

    /// Launches `binary` with `arguments`; HARMONIA_* variables of the test's environment
    /// are removed so the child sees only what the test passes.
    init(binary: String, arguments: [String], environment extra: [String: String] = [:]) throws {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("HARMONIA_") }
        environment.merge(extra) { _, new in new }
        self.arguments = arguments
        launched = ContinuousClock.now
        process = try SpawnedProcess(executable: binary, arguments: arguments, environment: environment)
        stdout = OutputCollector(fileDescriptor: process.stdout!)
        stderr = OutputCollector(fileDescriptor: process.stderr!)
    }

    var pid: Int32 { process.pid }

    var isRunning: Bool { process.isRunning }

    /// Sends `signal` to the child if it is still running.
    func send(_ signal: Int32) {
        if process.isRunning { _ = signalProcess(pid, signal) }
    }

    /// Waits (polling, with a deadline) for the child to exit and its output to be drained;
    /// returns its exit status, or 128+N when signal N ended it.
    @discardableResult
    func waitForExit(timeout: Duration) async throws -> Int32 {
        try await pollUntil("process \(pid) (\(arguments.first ?? "")) to exit", timeout: timeout) {
            !process.isRunning && stdout.isFinished && stderr.isFinished
        }
        return exitStatus
    }

    /// The exit status after the child ended; 128+N when signal N ended it.
    var exitStatus: Int32 {
        process.ending?.shellStatus ?? -1
    }

    /// SIGKILL and reap: the cleanup that always works, for `defer`.
    func kill() {
        guard process.isRunning else { return }
        process.send(SIGKILL)
        process.waitUntilExit()
    }

    /// Both streams, for failure messages.
    var diagnostics: String {
        "exit \(process.isRunning ? "(running)" : String(exitStatus))\n--- stdout\n\(stdout.tail())\n--- stderr\n\(stderr.tail())"
    }
}

/// `kill(2)` under the name of whichever C library this platform has.
private func signalProcess(_ pid: Int32, _ signal: Int32) -> Int32 {
    #if canImport(Glibc)
    Glibc.kill(pid, signal)
    #else
    Darwin.kill(pid, signal)
    #endif
}

import Foundation

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
    let process = Process()
    let stdout: OutputCollector
    let stderr: OutputCollector
    /// Just before the child was started: with `OutputCollector.arrival(ofLineContaining:)`,
    /// times the child without the test's own scheduling delays.
    let launched: ContinuousClock.Instant

    /// Launches `binary` with `arguments`; HARMONIA_* variables of the test's environment
    /// are removed so the child sees only what the test passes.
    init(binary: String, arguments: [String], environment extra: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("HARMONIA_") }
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        launched = ContinuousClock.now
        try process.run()
        // Close our copies of the write ends so the readers see end of file when the child exits.
        try? out.fileHandleForWriting.close()
        try? err.fileHandleForWriting.close()
        stdout = OutputCollector(out.fileHandleForReading)
        stderr = OutputCollector(err.fileHandleForReading)
    }

    var pid: Int32 { process.processIdentifier }

    var isRunning: Bool { process.isRunning }

    /// Sends `signal` to the child if it is still running.
    func send(_ signal: Int32) {
        if process.isRunning { _ = signalProcess(pid, signal) }
    }

    /// Waits (polling, with a deadline) for the child to exit and its output to be drained;
    /// returns its exit status, or 128+N when signal N ended it.
    @discardableResult
    func waitForExit(timeout: Duration) async throws -> Int32 {
        try await pollUntil("process \(pid) (\(process.arguments?.first ?? "")) to exit", timeout: timeout) {
            !process.isRunning && stdout.isFinished && stderr.isFinished
        }
        return exitStatus
    }

    /// The exit status after the child ended; 128+N when signal N ended it.
    var exitStatus: Int32 {
        process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }

    /// SIGKILL and reap: the cleanup that always works, for `defer`.
    func kill() {
        guard process.isRunning else { return }
        _ = signalProcess(pid, SIGKILL)
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
